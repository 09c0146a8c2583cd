/**
 * /widget.js, the script host pages embed (stable URL, revalidated): reads
 * the snippet's options from its own tag, defines `window.Switchboard`
 * (calls made before the widget loads are queued) and imports the widget
 * module, whose content-hashed URL the build writes in as __APP_ENTRY__.
 */
import type { QueuedCall, WidgetApi } from './api.js';
import { readConfig } from './config.js';

declare const __APP_ENTRY__: string;

interface Loaded {
  boot(config: ReturnType<typeof readConfig>, queued: QueuedCall[]): WidgetApi;
}

type Global = typeof globalThis & { Switchboard?: WidgetApi & { loaded?: boolean } };

(() => {
  const g = globalThis as Global;
  const script = document.currentScript as HTMLScriptElement | null;
  if (g.Switchboard?.loaded || !script) return;
  const base = new URL(script.src, location.href);
  const config = readConfig(script.dataset, base.origin);
  const queued: QueuedCall[] = [];
  const later =
    (name: keyof WidgetApi) =>
    (...args: unknown[]) =>
      void queued.push([name, args]);
  const stub = {
    open: later('open'),
    close: later('close'),
    identify: later('identify'),
    on: later('on'),
    loaded: true,
  };
  g.Switchboard = stub;
  const start = () =>
    (import(new URL(__APP_ENTRY__, base).href) as Promise<Loaded>).then((m) => {
      g.Switchboard = Object.assign(m.boot(config, queued), { loaded: true });
    });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
  else void start();
})();
