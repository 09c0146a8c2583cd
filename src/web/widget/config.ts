/**
 * The snippet's options, read by the loader from its own <script> tag's
 * data-* attributes (docs/widget.md lists them) and handed to the widget.
 */
import type { LoginField } from '../../../protocol/frames.js';

export interface WidgetConfig {
  /** Origin of the Switchboard server: where the loader came from. */
  server: string;
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

export function readConfig(data: DOMStringMap, server: string): WidgetConfig {
  const config: WidgetConfig = {
    server: data.server ?? server,
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

/** The visitor endpoint of a server origin: ws:// for http://, wss:// for https://. */
export function visitorUrl(server: string): string {
  return `${server.replace(/^http/, 'ws')}/v1/visitor`;
}
