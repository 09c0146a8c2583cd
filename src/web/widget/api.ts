/** The host page's JS API, `window.Switchboard` (docs/widget.md). */
import type { LoginField } from '../../../protocol/frames.js';
import type { ChatEventName, ChatListener } from './chat.js';

export interface WidgetApi {
  open(): void;
  close(): void;
  /** CUST-1: a verified login signed by the host site's server. */
  identify(login: LoginField): void;
  on(event: ChatEventName, listener: ChatListener): void;
}

/** A call made before the widget module loaded, replayed once it has. */
export type QueuedCall = [keyof WidgetApi, unknown[]];
