/** Schemas of the audit log's query and entries (/api/v1/audit). */
import { Type } from '@sinclair/typebox';
import { AuditOutcomes, literals } from '../../../../protocol/vocabulary.js';
import { Role, StaffId, strict } from './common.js';

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch, inclusive.' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch, exclusive.' })),
    actor: Type.Optional(StaffId),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'An entry id: the page starts after it.' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  strict,
);
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.Number(),
  actor: Type.Optional(Type.Object({ id: Type.String(), role: Role })),
  action: Type.String(),
  target: Type.Optional(Type.Object({ kind: Type.String(), id: Type.String() })),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
  outcome: literals(AuditOutcomes),
  remote: Type.Optional(Type.String()),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const AuditList = Type.Object({
  entries: Type.Array(AuditEntry, { description: 'Oldest first.' }),
  next: Type.Optional(Type.String()),
});
