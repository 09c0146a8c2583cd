/** Canned replies (CONV-3): the commands and the event that keeps consoles current. */
import { Type, type Static } from '@sinclair/typebox';
import { Limits } from '../limits.js';
import { command, opaqueId } from './common.js';
import { CannedScopes, literals } from '../vocabulary.js';

export const CannedScope = literals(CannedScopes, {
  description:
    '`workspace`: shared by all staff, written by supervisors and admins; `personal`: visible to and written by its owner only.',
});
export type CannedScope = Static<typeof CannedScope>;

export const CannedId = opaqueId('Server-issued canned reply id.');

export const CannedListFrame = command(
  'canned_list',
  {
    query: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: Limits.maxCannedTitleLength,
        description: 'Only snippets whose shortcut or title starts with this (case- and width-insensitive).',
      }),
    ),
    after: Type.Optional(CannedId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.cannedPageSize })),
  },
  "Staff: the workspace's canned replies and your own personal ones, a page at a time (CONV-3).",
);
export type CannedListFrame = Static<typeof CannedListFrame>;

export const CannedSaveFrame = command(
  'canned_save',
  {
    cannedId: Type.Optional(CannedId),
    scope: CannedScope,
    title: Type.String({ minLength: 1, maxLength: Limits.maxCannedTitleLength }),
    text: Type.String({ minLength: 1, maxLength: Limits.maxCannedTextLength }),
    shortcut: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: Limits.maxCannedShortcutLength,
        pattern: '^[^\\s/]+$',
        description: 'Typed after "/" in the console; no spaces or slashes.',
      }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: Limits.maxCannedTagLength }), {
        maxItems: Limits.maxCannedTags,
      }),
    ),
  },
  'Staff: create a canned reply (no cannedId) or replace one (CONV-3).',
);
export type CannedSaveFrame = Static<typeof CannedSaveFrame>;

export const CannedDeleteFrame = command(
  'canned_delete',
  { cannedId: CannedId },
  'Staff: delete a canned reply (CONV-3).',
);
export type CannedDeleteFrame = Static<typeof CannedDeleteFrame>;

export const CannedReplyInfo = Type.Object({
  id: CannedId,
  scope: CannedScope,
  owner: Type.Optional(Type.String()),
  title: Type.String(),
  text: Type.String(),
  shortcut: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  updatedAt: Type.Integer(),
  updatedBy: Type.String(),
});

export const CannedChangedEvent = Type.Object(
  {
    type: Type.Literal('canned_changed'),
    cannedId: CannedId,
    scope: CannedScope,
    deleted: Type.Boolean(),
    reply: Type.Optional(CannedReplyInfo),
  },
  {
    description:
      'Transient (no seq), to staff who can see the snippet (everyone for workspace ones, the owner for personal ones): a canned reply was saved (`reply` holds it as stored) or deleted (CONV-3). Consoles update their list without re-listing.',
  },
);
export type CannedChangedEvent = Static<typeof CannedChangedEvent>;
