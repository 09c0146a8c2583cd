/** Schemas of the workspace's canned replies (/api/v1/canned-replies). */
import { Type } from '@sinclair/typebox';
import { CannedId } from '../../../../protocol/frames.js';
import { Limits } from '../../../../protocol/limits.js';
import { strict } from './common.js';

export const CannedDraft = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: Limits.maxCannedTitleLength }),
    text: Type.String({ minLength: 1, maxLength: Limits.maxCannedTextLength }),
    shortcut: Type.Optional(
      Type.String({ minLength: 1, maxLength: Limits.maxCannedShortcutLength, pattern: '^[^\\s/]+$' }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: Limits.maxCannedTagLength }), {
        maxItems: Limits.maxCannedTags,
      }),
    ),
  },
  strict,
);
export const CannedReply = Type.Object({
  id: Type.String(),
  scope: Type.Literal('workspace'),
  title: Type.String(),
  text: Type.String(),
  shortcut: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  updatedAt: Type.Number(),
  updatedBy: Type.String(),
});
export const CannedParams = Type.Object({ id: CannedId }, strict);
export const CannedListQuery = Type.Object(
  {
    after: Type.Optional(CannedId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.cannedPageSize })),
  },
  strict,
);
export const CannedList = Type.Object({
  replies: Type.Array(CannedReply),
  next: Type.Optional(Type.String({ description: 'Pass as `after` for the next page.' })),
});
export const Deleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });
