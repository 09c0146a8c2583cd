/**
 * The snippet's options, read by the loader from its own <script> tag's
 * data-* attributes (docs/widget.md lists them) and handed to the widget.
 */
import type { LoginField } from '../../../protocol/frames.js';
import { DEFAULT_WORKSPACE, WORKSPACE_ID_SOURCE } from '../../../protocol/workspace-scope.js';

export interface WidgetConfig {
  /** Origin of the Switchboard server: where the loader came from. */
  server: string;
  /** CLUSTER-1: the workspace (`data-workspace`); absent = the server's default workspace. */
  workspace?: string;
  /** Where the visitor routes are: the server, plus `/w/<workspace>` for a workspace other than the default one. */
  endpoint: string;
  /** ROUTE-8: the entry department; absent = the workspace's first. */
  department?: string;
  /** `zh-CN` or `en`; absent = the browser's language. */
  lang?: string;
  /** Accent colour, `#rgb` or `#rrggbb`. */
  color: string;
  position: 'right' | 'left';
  /** CUST-1: a verified login signed by the host site's server. */
  login?: LoginField;
  /** Open the chat at once. */
  open: boolean;
}

const DEFAULT_COLOR = '#2563eb';
/** A workspace id (src/workspaces/workspace-id.ts); `default` is the unprefixed routes themselves. */
const WORKSPACE_ID = new RegExp(`^(?!${DEFAULT_WORKSPACE}$)${WORKSPACE_ID_SOURCE}$`);

export function readConfig(data: DOMStringMap, server: string): WidgetConfig {
  const origin = data.server ?? server;
  const workspace = data.workspace && WORKSPACE_ID.test(data.workspace) ? data.workspace : undefined;
  const config: WidgetConfig = {
    server: origin,
    endpoint: workspace ? `${origin}/w/${workspace}` : origin,
    ...(workspace ? { workspace } : {}),
    color: data.color && /^#(?:[0-9a-f]{3}){1,2}$/i.test(data.color) ? data.color : DEFAULT_COLOR,
    position: data.position === 'left' ? 'left' : 'right',
    open: data.open === 'true',
  };
  if (data.department) config.department = data.department;
  if (data.lang) config.lang = data.lang;
  if (data.externalId) {
    config.login = { externalId: data.externalId };
    if (data.signature) config.login.signature = data.signature;
    if (data.name) config.login.name = data.name;
    if (data.email) config.login.email = data.email;
  }
  return config;
}

/** The visitor endpoint of a server origin (or a workspace's endpoint): ws:// for http://, wss:// for https://. */
export function visitorUrl(endpoint: string): string {
  return `${endpoint.replace(/^http/, 'ws')}/v1/visitor`;
}
