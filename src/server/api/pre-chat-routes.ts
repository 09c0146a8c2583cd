/** WEB-2: the widget's pre-chat form over the admin API. */
import { Type } from '@sinclair/typebox';
import { PreChatField } from '../../../protocol/frames.js';
import { MAX_PRE_CHAT_FIELDS } from '../../../actors/workspace/pre-chat.js';
import { route } from './route.js';

const PreChatForm = Type.Object(
  {
    fields: Type.Array(PreChatField, {
      maxItems: MAX_PRE_CHAT_FIELDS,
      description: 'In the order the widget shows them; an empty list turns the form off.',
    }),
  },
  { additionalProperties: false },
);

export const preChatRoutes = [
  route({
    method: 'get',
    path: '/pre-chat-form',
    permission: 'workspace.read',
    summary: "The widget's pre-chat form (WEB-2); no fields = no form",
    response: PreChatForm,
    handle: async (_in, { dir }) => ({ fields: [...(dir.settings.preChatForm ?? [])] }),
  }),
  route({
    method: 'put',
    path: '/pre-chat-form',
    permission: 'workspace.configure',
    summary:
      "Replace the pre-chat form's fields (WEB-2): name, email and custom questions, each required or optional; it applies to the next visitor's hello",
    body: PreChatForm,
    response: PreChatForm,
    handle: async ({ body }, { dir, audit }) => {
      const before = [...(dir.settings.preChatForm ?? [])];
      const stored = await dir.deps.runtime.ask(dir.workspace, { type: 'setPreChatForm', fields: body.fields });
      const fields = [...(stored.preChatForm ?? [])];
      await audit({
        action: 'pre-chat-form.replace',
        target: { kind: 'workspace', id: 'default' },
        before,
        after: fields,
      });
      return { fields };
    },
  }),
];
