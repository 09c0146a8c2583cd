/** Schemas of the routing dry run and the keyword-rule preview (MON-4, ROUTE-7, ROUTE-16: /api/v1/routing/test, /api/v1/keyword-rules/test). */
import { Type } from '@sinclair/typebox';
import { DepartmentId } from '../../../../protocol/frames.js';
import { RoutingPolicies, SkipReasons, literals } from '../../../../protocol/vocabulary.js';
import { DryRunLogins } from '../../../../actors/routing-dry-run.js';
import { PreviewWaits } from '../../../../actors/department/messages.js';
import { KeywordRule } from './keyword-rules.js';
import { Skills, StaffId, strict } from './common.js';

const Text = Type.String({ minLength: 1, maxLength: 4000, description: 'The first customer message.' });

export const DryRunBody = Type.Object(
  {
    department: Type.Optional(DepartmentId),
    text: Type.Optional(Text),
    vip: Type.Optional(Type.Boolean({ description: 'CUST-3: a high-value customer (ROUTE-5 tier 3).' })),
    login: Type.Optional(
      literals(DryRunLogins, {
        description: 'CUST-1: no login (default), a verified (signed) login, or a login without signature.',
      }),
    ),
    skills: Type.Optional(Skills),
    lastAgent: Type.Optional(StaffId),
  },
  { ...strict, minProperties: 1, description: 'The customer to try: at least one field, each optional.' },
);

const Needs = Type.Object({
  skills: Type.Array(Type.String()),
  tier: Type.Union([Type.Literal(1), Type.Literal(2)]),
  vip: Type.Boolean(),
  priority: Type.Integer(),
});

const Match = Type.Object({ ruleId: Type.String(), keywords: Type.Array(Type.String()) });

const Figures = Type.Object({
  avgFirstResponseMs: Type.Optional(Type.Number()),
  avgResponseMs: Type.Optional(Type.Number()),
  avgHandleMs: Type.Optional(Type.Number()),
  satisfaction: Type.Optional(Type.Number()),
});

const Verdict = Type.Object({
  agentId: Type.String(),
  name: Type.Optional(Type.String()),
  active: Type.Integer(),
  max: Type.Integer(),
  score: Type.Optional(Type.Number({ description: "The policy's figure (load ratio, load index, running weight)." })),
  skipped: Type.Optional(literals(SkipReasons, { description: 'Why the agent was passed over.' })),
  figures: Type.Optional(Figures),
});

const Decision = Type.Object({
  policy: Type.Union([literals(RoutingPolicies), Type.Literal('sticky')]),
  agentId: Type.Optional(Type.String()),
  candidates: Type.Array(Verdict),
  omitted: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});

export const DryRunAnswer = Type.Object({
  login: Type.Object({ accepted: Type.Boolean(), verified: Type.Boolean(), reason: Type.Optional(Type.String()) }),
  entry: Type.String(),
  department: Type.String(),
  matches: Type.Array(Match),
  needs: Needs,
  placement: Type.Optional(
    Type.Object({
      department: Type.String(),
      outcome: Type.Union([Type.Literal('offered'), Type.Literal('queued')]),
      agentId: Type.Optional(Type.String()),
      agentName: Type.Optional(Type.String()),
      wait: Type.Optional(literals(PreviewWaits)),
      decisions: Type.Array(Decision),
      members: Type.Integer(),
      waiting: Type.Integer(),
    }),
  ),
  queue: Type.Optional(
    Type.Object({
      position: Type.Optional(Type.Integer()),
      estimatedWaitSeconds: Type.Optional(Type.Integer()),
      length: Type.Integer(),
      maxLength: Type.Optional(Type.Integer()),
      backlog: Type.Optional(Type.Literal('queue_full')),
    }),
  ),
});

export const KeywordTestBody = Type.Object(
  {
    text: Text,
    first: Type.Optional(
      Type.Boolean({
        description: 'The first customer message (default); false: a later one, only `laterMessages` rules.',
      }),
    ),
    rules: Type.Optional(
      Type.Array(KeywordRule, {
        maxItems: 500,
        description: 'Rules to try instead of the stored ones (an unsaved edit).',
      }),
    ),
  },
  strict,
);

export const KeywordTestAnswer = Type.Object({
  matches: Type.Array(Match),
  department: Type.Optional(Type.String()),
  skills: Type.Optional(Type.Array(Type.String())),
  tier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  priority: Type.Optional(Type.Integer()),
});
