/** Schemas of the workspace settings (GET and PATCH /api/v1/workspace). */
import { Type } from '@sinclair/typebox';
import { AutoMessageKey, Language } from '../../../../protocol/frames.js';
import { nullable, strict } from './common.js';

const AutoTexts = Type.Partial(Type.Record(AutoMessageKey, Type.String({ maxLength: 2000 })), strict);
const AutoMessages = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    texts: Type.Optional(Type.Object({ 'zh-CN': Type.Optional(AutoTexts), en: Type.Optional(AutoTexts) }, strict)),
  },
  {
    ...strict,
    description: 'CONV-4: automatic messages; an empty text turns that message off, an absent one uses the default.',
  },
);
const TagList = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 200,
  uniqueItems: true,
  description: 'XFER-2: the tags a transfer may carry.',
});
const TransferLimits = Type.Object(
  {
    agent: Type.Optional(Type.Integer({ minimum: 0 })),
    supervisor: Type.Optional(Type.Integer({ minimum: 0 })),
    admin: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { ...strict, description: 'XFER-5: transfers per day (UTC) per role; absent = unlimited.' },
);

const WidgetOrigins = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
  maxItems: 200,
  description:
    "WEB-1: the sites whose pages may embed the widget, as origins (`https://shop.example.com`, `https://*.example.com` for its subdomains); absent = every site, empty = none but the server's own pages. Checked on the visitor WebSocket upgrade (Origin) and on file uploads (CORS); staff are not affected.",
});

export const WorkspaceView = Type.Object({
  autoAssign: Type.Boolean({
    description: 'ROUTE-1: automatic assignment; off = conversations wait in their queue for staff to claim.',
  }),
  defaultLanguage: Type.Optional(Language),
  autoMessages: Type.Optional(AutoMessages),
  autoCloseAfterMin: Type.Optional(Type.Number()),
  tags: Type.Optional(TagList),
  transferLimits: Type.Optional(TransferLimits),
  widgetOrigins: Type.Optional(WidgetOrigins),
  verification: Type.Object(
    { set: Type.Boolean(), required: Type.Optional(Type.Boolean()) },
    {
      description:
        'CUST-1: whether a verification secret is set (it is never shown) and whether logins must be signed.',
    },
  ),
});

export const WorkspacePatch = Type.Object(
  {
    autoAssign: Type.Optional(Type.Boolean({ description: 'ROUTE-1' })),
    defaultLanguage: Type.Optional(nullable(Language)),
    autoMessages: Type.Optional(nullable(AutoMessages)),
    autoCloseAfterMin: Type.Optional(
      nullable(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: 525_600,
          description: 'CONV-5: minutes of customer silence before an assigned conversation is resolved.',
        }),
      ),
    ),
    tags: Type.Optional(nullable(TagList)),
    transferLimits: Type.Optional(nullable(TransferLimits)),
    widgetOrigins: Type.Optional(nullable(WidgetOrigins)),
    verification: Type.Optional(
      nullable(
        Type.Object(
          {
            secret: Type.String({ minLength: 32, maxLength: 200, description: 'Write-only.' }),
            required: Type.Boolean(),
          },
          { ...strict, description: 'CUST-1: the login verification secret; null removes it.' },
        ),
      ),
    ),
  },
  { ...strict, minProperties: 1 },
);
