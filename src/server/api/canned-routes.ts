/** The workspace's canned replies (CONV-3) over the admin API, written through the canned-replies actor. */
import type { Static } from '@sinclair/typebox';
import { ProtocolError } from '../../../protocol/errors.js';
import { Limits } from '../../../protocol/limits.js';
import { Keys } from '../../../actors/keyspace.js';
import type { CannedReplyRecord } from '../../../actors/canned-replies.js';
import { route } from './route.js';
import { CannedDraft, CannedList, CannedListQuery, CannedParams, CannedReply, Deleted } from './schemas/canned.js';

type Reply = Static<typeof CannedReply>;

export const cannedRoutes = [
  route({
    method: 'get',
    path: '/canned-replies',
    permission: 'canned.use',
    summary: "The workspace's canned replies, in creation order, a page at a time",
    query: CannedListQuery,
    response: CannedList,
    handle: async ({ query }, { dir }) => {
      const all = [...dir.deps.journal.records<CannedReplyRecord>(Keys.cannedWorkspace)]
        .map((r) => r.value)
        .filter((r) => query.after === undefined || r.id > query.after);
      const limit = query.limit ?? Limits.cannedPageSize;
      const replies = all.slice(0, limit) as Reply[];
      return all.length > limit ? { replies, next: replies[replies.length - 1]!.id } : { replies };
    },
  }),
  route({
    method: 'post',
    path: '/canned-replies',
    permission: 'canned.manage',
    summary: 'Create a workspace canned reply',
    status: '201 Created',
    body: CannedDraft,
    response: CannedReply,
    handle: async ({ body }, { dir, caller, audit }) => {
      const saved = await dir.deps.runtime.ask(dir.cannedReplies, {
        type: 'save',
        caller,
        draft: { ...body, scope: 'workspace' },
      });
      await audit({ action: 'canned.create', target: { kind: 'canned', id: saved.id }, after: saved });
      return saved as Reply;
    },
  }),
  route({
    method: 'put',
    path: '/canned-replies/:id',
    permission: 'canned.manage',
    summary: 'Replace a workspace canned reply',
    params: CannedParams,
    body: CannedDraft,
    response: CannedReply,
    handle: async ({ params, body }, { dir, caller, audit }) => {
      const before = workspaceReply(
        dir.deps.journal.getRecord<CannedReplyRecord>(Keys.canned({ id: params.id, scope: 'workspace' })),
        params.id,
      );
      const saved = await dir.deps.runtime.ask(dir.cannedReplies, {
        type: 'save',
        caller,
        draft: { ...body, scope: 'workspace', cannedId: params.id },
      });
      await audit({ action: 'canned.replace', target: { kind: 'canned', id: saved.id }, before, after: saved });
      return saved as Reply;
    },
  }),
  route({
    method: 'delete',
    path: '/canned-replies/:id',
    permission: 'canned.manage',
    summary: 'Delete a workspace canned reply',
    params: CannedParams,
    response: Deleted,
    handle: async ({ params }, { dir, caller, audit }) => {
      const before = workspaceReply(
        dir.deps.journal.getRecord<CannedReplyRecord>(Keys.canned({ id: params.id, scope: 'workspace' })),
        params.id,
      );
      await dir.deps.runtime.ask(dir.cannedReplies, { type: 'delete', caller, cannedId: params.id });
      await audit({ action: 'canned.delete', target: { kind: 'canned', id: params.id }, before });
      return { id: params.id, deleted: true as const };
    },
  }),
];

/** Personal snippets are not this API's: their ids are as unknown here as missing ones. */
function workspaceReply(r: CannedReplyRecord | undefined, id: string): CannedReplyRecord {
  if (!r) throw new ProtocolError('not_found', `no workspace canned reply "${id}"`, 'path.id');
  return r;
}
