/** Schemas of the reports' query and summary answer (/api/v1/reports, MON-2; docs/reports.md). */
import { Type } from '@sinclair/typebox';
import { nullable, strict } from './common.js';

const DepartmentId = Type.String({ minLength: 1, maxLength: 64 });

export const ReportQuery = Type.Object(
  {
    from: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'A day (`YYYY-MM-DD`, UTC) or an ISO-8601 instant; inclusive.',
    }),
    to: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'A day (`YYYY-MM-DD`, inclusive) or an ISO-8601 instant (exclusive).',
    }),
    department: Type.Optional(
      Type.Union([DepartmentId, Type.Array(DepartmentId, { maxItems: 200 })], {
        description: 'Repeatable; default: every department the caller may read.',
      }),
    ),
    serviceLevelSec: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3600,
        description: 'Service level: share of assigned conversations assigned within this many seconds; default 20.',
      }),
    ),
  },
  strict,
);

const Mean = Type.Object({ mean: nullable(Type.Number()), count: Type.Integer() });

export const Figures = Type.Object({
  received: Type.Integer(),
  assigned: Type.Integer(),
  resolved: Type.Integer(),
  queued: Type.Integer(),
  abandoned: Type.Integer(),
  abandonRate: nullable(Type.Number()),
  waitMs: Mean,
  firstResponseMs: Mean,
  firstResponseFromCreatedMs: Mean,
  responseMs: Mean,
  handleMs: Mean,
  serviceLevel: nullable(Type.Number()),
  occupancy: nullable(Type.Number({ description: 'Not computed yet: always null (docs/reports.md).' })),
  transfers: Type.Object({
    in: Type.Integer(),
    out: Type.Integer(),
    byTag: Type.Record(Type.String(), Type.Integer()),
  }),
  satisfaction: Type.Object({
    ratings: Type.Integer(),
    good: Type.Integer(),
    goodShare: nullable(Type.Number()),
    mean: nullable(Type.Number()),
  }),
});

const Scoped = Type.Object({ id: Type.String(), name: Type.String(), figures: Figures });

export const ReportSummary = Type.Object({
  range: Type.Object({ from: Type.String(), to: Type.String(), timeZone: Type.String() }),
  serviceLevelSec: Type.Integer(),
  total: Figures,
  departments: Type.Array(Scoped),
  agents: Type.Array(Scoped),
  series: Type.Object({
    bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
    points: Type.Array(
      Type.Object({
        start: Type.String(),
        received: Type.Integer(),
        resolved: Type.Integer(),
        abandoned: Type.Integer(),
        waitMsMean: nullable(Type.Number()),
      }),
    ),
  }),
});
