/** The building blocks every frame uses: ids, text, the principals, files, and `ping`. */
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { Limits } from '../limits.js';
import { AgentStatuses, Languages, ParticipantRoles, StaffRoles, literals } from '../vocabulary.js';

export const strict = { additionalProperties: false } as const;

/** Command id chosen by the client; echoed in the ack or error that answers it. */
export const CommandId = Type.Union([
  Type.String({ minLength: 1, maxLength: Limits.maxIdLength }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
]);
export type CommandId = Static<typeof CommandId>;

/**
 * A client command: its `type`, the client's command `id`, then its own fields; strict (unknown fields are
 * refused), with the description the generated reference shows.
 */
export const command = <T extends string, P extends TProperties>(type: T, fields: P, description: string) =>
  Type.Object({ type: Type.Literal(type), id: CommandId, ...fields }, { ...strict, description });

export const opaqueId = (description: string) =>
  Type.String({ minLength: 1, maxLength: Limits.maxIdLength, pattern: '^[A-Za-z0-9_.:-]+$', description });

export const VisitorId = opaqueId('Kept by the widget like a cookie; identifies the visitor across reconnects.');

export const ConversationId = opaqueId('Server-issued conversation id.');

export const DepartmentId = opaqueId('Department id, e.g. "pre-sales".');

export const ClientMsgId = opaqueId(
  'Chosen by the client per message; a retried send with the same id is stored once.',
);

export const FileId = opaqueId('Server-issued file id, from the upload answer (POST /v1/files).');

export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const Text = Type.String({ minLength: 1, maxLength: Limits.maxTextLength });

export const AgentStatus = literals(AgentStatuses);
export type AgentStatus = Static<typeof AgentStatus>;

export const Language = literals(Languages, {
  description: 'Language of the automatic messages the customer gets (CONV-4); the workspace default when absent.',
});
export type Language = Static<typeof Language>;

export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 20,
  uniqueItems: true,
  description: 'Tags from the workspace tag list.',
});

export const PingFrame = command('ping', {}, 'Any client: liveness check, answered by an ack.');
export type PingFrame = Static<typeof PingFrame>;

export const Participant = Type.Object({
  role: literals(ParticipantRoles, {
    description:
      '`agent` is any staff member writing (an agent, or a supervisor who joined or took over); `system` is the server (automatic messages, CONV-4).',
  }),
  id: Type.String(),
});
export type Participant = Static<typeof Participant>;

export const StaffRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: literals(StaffRoles),
});

export const FileRef = Type.Object(
  {
    id: FileId,
    name: Type.String({
      minLength: 1,
      maxLength: Limits.maxFileNameLength,
      description: "The uploader's file name, sanitised.",
    }),
    type: Type.String({
      description:
        'Media type, one of the upload allowlist (image/png, image/jpeg, image/gif, image/webp, application/pdf, text/plain).',
    }),
    size: Type.Integer({ minimum: 1, description: 'Bytes.' }),
  },
  { description: 'A stored file (CONV-1): download it with GET /v1/files/<id>.' },
);
export type FileRef = Static<typeof FileRef>;
