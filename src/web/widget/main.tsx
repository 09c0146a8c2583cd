/**
 * The widget module the loader imports: puts a host element with a shadow
 * root on the page (the host page's CSS cannot reach inside), renders the
 * bubble, and replaces the loader's queueing API with the live one (WEB-1).
 */
import { render } from 'preact';
import { pickLanguage, translator } from '../shared/i18n.js';
import { adoptStyles } from '../shared/styles.js';
import { Attention } from './attention.js';
import type { WidgetApi, QueuedCall } from './api.js';
import { baseCss } from './base-css.js';
import { Chat } from './chat.js';
import type { WidgetConfig } from './config.js';
import { strings } from './strings.js';
import { ViewState } from './view-state.js';
import { Widget } from './widget.js';

export function boot(config: WidgetConfig, queued: QueuedCall[]): WidgetApi {
  const lang = pickLanguage(config.lang, navigator.languages);
  const chat = new Chat(config, lang);
  const view = new ViewState(config.open);
  const host = document.createElement('switchboard-widget');
  host.setAttribute('data-position', config.position);
  host.setAttribute('lang', lang);
  // Open, so tests and assistive tools can reach inside; isolation from the page's CSS does not depend on it.
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, `${baseCss}:host{--sb-accent:${config.color}}`);
  (document.body ?? document.documentElement).appendChild(host);
  const t = translator(strings, lang);
  render(<Widget chat={chat} view={view} t={t} />, root);
  const attention = new Attention((n) => t('newMessage', { n }));
  chat.on('message', (d) => d.live && d.from !== 'visitor' && attention.notify());
  if (chat.returning || config.open) chat.connect();
  const api: WidgetApi = {
    open: () => view.set(true),
    close: () => view.set(false),
    identify: (login) => chat.identify(login),
    on: (name, fn) => chat.on(name, fn),
  };
  for (const [name, args] of queued) (api[name] as (...a: unknown[]) => void)(...args);
  return api;
}
