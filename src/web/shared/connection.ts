/**
 * A typed WebSocket connection to a Switchboard endpoint, for browser apps.
 * JSON text frames (the server answers in the kind it is spoken to). Every
 * command gets an id and a promise of its ack; every other frame goes to the
 * event listener. The socket reconnects by itself with a growing delay, and
 * at once when the browser says it is back online; each new socket calls
 * `onOpen`, where the app says hello and resumes (docs/protocol.md,
 * "Reconnect example"). Commands still unanswered when a socket closes are
 * rejected with `disconnected`: the app retries what must not be lost.
 */
import type { AckFrame, ErrorFrame, ServerFrame } from '../../../protocol/frames.js';
import type { CloseCodes } from '../../../protocol/close-codes.js';

type Command = { type: string } & Record<string, unknown>;

export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** `refused`: the server will not serve this page (WEB-1, close code 4003); no retry can change that. */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

/** WEB-1: the page's site may not embed the widget. Typed from the protocol's table, so the two cannot drift. */
const ORIGIN_NOT_ALLOWED: (typeof CloseCodes)['originNotAllowed']['code'] = 4003;

export interface ConnectionHooks<E> {
  /** A socket opened: say hello, resume. */
  onOpen(): void;
  onEvent(event: E): void;
  onState(state: ConnectionState): void;
  /** A socket closed with this code (4001: the staff session was revoked); called before any retry is planned. */
  onClose?(code: number, everOpened: boolean): void;
}

const RETRY_MS = [250, 1000, 2000, 5000, 10000];

export class Connection<C extends Command, E extends ServerFrame> {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  state: ConnectionState = 'closed';

  constructor(
    /** A function when the URL carries a credential that changes (a refreshed staff token). */
    private readonly url: string | (() => string),
    private readonly hooks: ConnectionHooks<E>,
  ) {
    addEventListener('online', () => this.stopped || this.reconnectNow());
    // A browser that knows it is offline has lost the socket even when no close came yet: the close handshake
    // cannot finish offline, so the socket is given up at once rather than when the browser's close times out.
    addEventListener('offline', () => {
      const ws = this.ws;
      if (!ws) return;
      ws.close(4000, 'offline');
      ws.onclose?.(new CloseEvent('close', { code: 4000, reason: 'offline' }));
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'closed');
  }

  /** Sends a command; resolves with the ack's result, rejects with a CommandError. */
  command(frame: C): Promise<Record<string, unknown>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new CommandError('disconnected', 'not connected'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  private open(): void {
    this.setState('connecting');
    const ws = new WebSocket(typeof this.url === 'string' ? this.url : this.url());
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.setState('open');
      this.hooks.onOpen();
    };
    ws.onmessage = (msg: MessageEvent) => {
      if (typeof msg.data !== 'string') return;
      const frame = JSON.parse(msg.data) as ServerFrame;
      if (frame.type === 'ack' || frame.type === 'error') return this.answer(frame);
      this.hooks.onEvent(frame as E);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      for (const p of this.pending.values()) p.reject(new CommandError('disconnected', 'connection lost'));
      this.pending.clear();
      this.hooks.onClose?.(ev.code, opened);
      if (ev.code === ORIGIN_NOT_ALLOWED) {
        this.stopped = true;
        return this.setState('refused');
      }
      this.setState('closed');
      if (!this.stopped)
        this.timer = setTimeout(() => this.open(), RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)]);
    };
  }

  private reconnectNow(): void {
    if (this.ws) return;
    clearTimeout(this.timer);
    this.open();
  }

  private answer(frame: AckFrame | ErrorFrame): void {
    const p = typeof frame.id === 'number' ? this.pending.get(frame.id) : undefined;
    if (!p) return;
    this.pending.delete(frame.id as number);
    if (frame.type === 'ack') p.resolve((frame.result as Record<string, unknown> | undefined) ?? {});
    else p.reject(new CommandError(frame.code, frame.message, frame.field));
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.hooks.onState(s);
  }
}
