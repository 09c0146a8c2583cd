/** Schemas of the reports' query and summary answer (/api/v1/reports, MON-2; docs/reports.md). */
import { Type } from '@sinclair/typebox';
import { nullable, strict } from './common.js';

const DepartmentId = Type.String({ minLength: 1, maxLength: 64 });

export const ReportQuery = Type.Object(
  {
    from: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'A day (`YYYY-MM-DD`, a local day of the report time zone) or an ISO-8601 instant; inclusive.',
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
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          "IANA time zone whose local days `from`, `to` and the day buckets follow; default: the server's `--report-time-zone` (UTC). Unknown: 400 `invalid_range`.",
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
  occupancy: nullable(
    Type.Number({
      description:
        'Conversation slots held ÷ slots offered over online time; null with no online time (docs/reports.md).',
    }),
  ),
  onlineMs: Type.Integer({ description: "Agents' time online (status online or busy), ms, summed over agents." }),
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
  range: Type.Object({
    from: Type.String(),
    to: Type.String(),
    timeZone: Type.String(),
    edgesMoved: Type.Boolean({
      description:
        'An edge asked for was not a whole UTC hour (an instant, or a local day of a zone like Asia/Kolkata) and was moved to one: `from`/`to` say where.',
    }),
  }),
  serviceLevelSec: Type.Integer(),
  total: Figures,
  departments: Type.Array(Scoped),
  agents: Type.Array(Scoped),
  series: Type.Object({
    bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
    points: Type.Array(
      Type.Object({
        start: Type.String(),
        local: Type.String({
          description: 'The start as local wall time (`YYYY-MM-DDTHH:mm`), or the local day (`YYYY-MM-DD`).',
        }),
        received: Type.Integer(),
        resolved: Type.Integer(),
        abandoned: Type.Integer(),
        waitMsMean: nullable(Type.Number()),
      }),
    ),
  }),
});
