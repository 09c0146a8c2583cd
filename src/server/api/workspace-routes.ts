/** Workspace settings and keyword rules (ROUTE-1, ROUTE-7, CONV-4, CONV-5, XFER-2, XFER-5, CUST-1) over the admin API. */
import type { Static } from '@sinclair/typebox';
import type { WorkspaceSettings } from '../../../actors/workspace/records.js';
import type { WorkspaceConversationSettings } from '../../../actors/workspace/messages.js';
import type { KeywordRule } from '../../../actors/routing/keyword-rules.js';
import { canonicalOrigin } from '../../../actors/workspace/widget-origins.js';
import { route, type RouteContext } from './route.js';
import { KeywordRules } from './schemas/keyword-rules.js';
import { WorkspacePatch, WorkspaceView } from './schemas/workspace.js';

/** What readers see: the verification secret is write-only; the pre-chat form has its own route. */
export function workspaceView(w: WorkspaceSettings): Static<typeof WorkspaceView> {
  const { verification, keywordRules: _rules, disconnectGraceSec: _grace, preChatForm: _form, ...rest } = w;
  return { ...rest, verification: verification ? { set: true, required: verification.required } : { set: false } };
}

const CONVERSATION_SETTINGS = [
  'defaultLanguage',
  'autoMessages',
  'autoCloseAfterMin',
  'tags',
  'transferLimits',
  'widgetOrigins',
] as const;

async function patchWorkspace(patch: Static<typeof WorkspacePatch>, { dir }: RouteContext): Promise<void> {
  const { runtime } = dir.deps;
  const changes: WorkspaceConversationSettings = {};
  for (const k of CONVERSATION_SETTINGS) if (patch[k] !== undefined) (changes as Record<string, unknown>)[k] = patch[k];
  // WEB-1: `https://Shop.example.com/` is stored as the browser writes it, `https://shop.example.com`; what is no origin stays, for the actor to refuse.
  if (patch.widgetOrigins) changes.widgetOrigins = patch.widgetOrigins.map((o) => canonicalOrigin(o) ?? o);
  // Each message validates and stores its part; the conversation settings go first, as they are the ones most likely refused.
  if (Object.keys(changes).length) await runtime.ask(dir.workspace, { type: 'configureWorkspace', changes });
  if (patch.verification !== undefined)
    await runtime.ask(dir.workspace, { type: 'setVerification', verification: patch.verification });
  if (patch.autoAssign !== undefined)
    await runtime.ask(dir.workspace, { type: 'setAutoAssign', enabled: patch.autoAssign });
}

export const workspaceRoutes = [
  route({
    method: 'get',
    path: '/workspace',
    permission: 'workspace.read',
    summary: 'Workspace settings (the verification secret shows only as set or not)',
    response: WorkspaceView,
    handle: async (_in, { dir }) => workspaceView(dir.settings),
  }),
  route({
    method: 'patch',
    path: '/workspace',
    permission: 'workspace.configure',
    summary:
      'Change workspace settings: automatic assignment (ROUTE-1), language, automatic messages, auto-close, tags, transfer limits, the sites that may embed the widget (WEB-1), verification secret; null removes one',
    body: WorkspacePatch,
    response: WorkspaceView,
    handle: async ({ body }, ctx) => {
      const before = workspaceView(ctx.dir.settings);
      await patchWorkspace(body, ctx);
      const after = workspaceView(ctx.dir.settings);
      await ctx.audit({ action: 'workspace.configure', target: { kind: 'workspace', id: 'default' }, before, after });
      return after;
    },
  }),
  route({
    method: 'get',
    path: '/keyword-rules',
    permission: 'workspace.read',
    summary: 'The ordered keyword rules (ROUTE-7)',
    response: KeywordRules,
    handle: async (_in, { dir }) => ({
      rules: (dir.settings.keywordRules ?? []) as Static<typeof KeywordRules>['rules'],
    }),
  }),
  route({
    method: 'put',
    path: '/keyword-rules',
    permission: 'workspace.configure',
    summary: 'Replace the keyword rules (ROUTE-7); they apply to the next message matched',
    body: KeywordRules,
    response: KeywordRules,
    handle: async ({ body }, { dir, audit }) => {
      const before = dir.settings.keywordRules ?? [];
      const stored = await dir.deps.runtime.ask(dir.workspace, {
        type: 'setKeywordRules',
        rules: body.rules as KeywordRule[],
      });
      const rules = (stored.keywordRules ?? []) as Static<typeof KeywordRules>['rules'];
      await audit({
        action: 'keyword-rules.replace',
        target: { kind: 'workspace', id: 'default' },
        before,
        after: rules,
      });
      return { rules };
    },
  }),
];
