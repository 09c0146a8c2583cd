/**
 * One WebSocket connection speaking the Switchboard protocol (ws; msgpack binary or JSON text frames), the
 * one client of the tests (test/support/client.ts), the load harness and the chaos harness.
 *
 * Commands get an id unless they carry one; `command` resolves with the ack or error frame that answers it,
 * and fails at once with ConnectionLost when the connection drops first (a killed server never answers, and
 * the caller must know which commands to retry). Every other frame goes to `onFrame` once a listener is set
 * (the hot path of a load run keeps nothing), and is kept in `events` until then, for `waitFor`.
 */
import WebSocket from 'ws';
import { Packr } from 'msgpackr';
import type { CommandId, StaffCommand, VisitorCommand } from '../../protocol/frames.js';

/** The server's codec: msgpackr with plain maps and no records. */
export const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/** A frame as received: its type, and its other fields read by name. */
export type Frame = { type: string } & Record<string, unknown>;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A command as a client writes it: a visitor or staff command frame of protocol/, its id optional. */
export type Command = WithoutId<VisitorCommand | StaffCommand> & { id?: CommandId };

export class ConnectionLost extends Error {
  constructor(
    what: string,
    readonly code: number | undefined,
  ) {
    super(`connection closed (${code ?? 'dropped'}) before the answer to ${what}`);
    this.name = 'ConnectionLost';
  }
}

export interface SocketOptions {
  /** Sends msgpack binary frames (the server then answers in binary); JSON text otherwise. Default false. */
  binary?: boolean;
  headers?: Record<string, string>;
  /** Names the connection in error messages. */
  label?: string;
  /** Gives up connecting after this long (default 15 s). */
  connectTimeoutMs?: number;
  /** How long a command waits for its answer unless told otherwise (default 15 s). */
  commandTimeoutMs?: number;
  /** wss: the certificate (PEM) to trust, for a server with a self-signed one. */
  ca?: string;
}

interface Pending {
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  what: string;
}

function isFrame(v: unknown): v is Frame {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string';
}

export class ProtocolSocket {
  /** Frames received while no `onFrame` listener is set, in arrival order. */
  readonly events: Frame[] = [];
  /** Error frames that answer no command of ours (the command had no id, or one we did not send). */
  readonly errorsWithoutId: Frame[] = [];
  /** Once set, every frame that answers no command goes here and is no longer kept in `events`. */
  onFrame: ((f: Frame) => void) | undefined;
  framesIn = 0;
  framesOut = 0;
  /** Frames that could not be decoded as a msgpack or JSON object with a type. */
  badFrames = 0;
  closeCode: number | undefined;
  readonly binary: boolean;
  readonly label: string;
  private readonly commandTimeoutMs: number;
  private nextId = 1;
  private readonly pending = new Map<CommandId, Pending>();
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private closeWaiters: ((code: number) => void)[] = [];
  private dropped = false;

  /** Use `connect`; subclasses pass a socket that is still connecting, so that no frame arrives before the handlers. */
  protected constructor(
    readonly ws: WebSocket,
    opts: SocketOptions,
  ) {
    this.binary = opts.binary ?? false;
    this.label = opts.label ?? '';
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 15_000;
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', (code: number) => this.drop(code));
    // An error after open ends in a close; without a listener it would be an uncaught exception.
    ws.on('error', () => undefined);
  }

  static connect(url: string, opts: SocketOptions = {}): Promise<ProtocolSocket> {
    const sock = new ProtocolSocket(ProtocolSocket.webSocket(url, opts), opts);
    return sock.opened(url).then(() => sock);
  }

  protected static webSocket(url: string, opts: SocketOptions): WebSocket {
    return new WebSocket(url, {
      headers: opts.headers ?? {},
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      perMessageDeflate: false,
      handshakeTimeout: opts.connectTimeoutMs ?? 15_000,
    });
  }

  /** Resolves once the upgrade succeeded; rejects with the reason it did not. */
  protected opened(url: string): Promise<void> {
    const prefix = this.label ? `${this.label}: ` : '';
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', (err) =>
        reject(new Error(`${prefix}cannot connect to ${url.replace(/token=[^&]+/, 'token=…')}: ${err.message}`)),
      );
      this.ws.once('unexpected-response', (req, res) => {
        // Destroyed, or the refused HTTP socket lingers until the server's idle timeout.
        req.destroy();
        reject(new Error(`${prefix}upgrade refused: ${res.statusCode ?? '?'}`));
      });
    });
  }

  get closed(): boolean {
    return this.dropped || this.ws.readyState !== WebSocket.OPEN;
  }

  /** Sends a command (its id added unless given) and resolves with its ack or error frame. */
  command(frame: Command, timeoutMs?: number): Promise<Frame> {
    return this.commandRaw(frame, timeoutMs);
  }

  /** `command` for a frame outside the protocol's types: what a test of the server's validation sends. */
  commandRaw(frame: Record<string, unknown>, timeoutMs = this.commandTimeoutMs): Promise<Frame> {
    const what = typeof frame.type === 'string' ? frame.type : 'a command';
    if (this.dropped) return Promise.reject(new ConnectionLost(what, this.closeCode));
    const id = (frame.id as CommandId | undefined) ?? this.nextId++;
    const full = { ...frame, id };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const prefix = this.label ? `${this.label}: ` : '';
        reject(new Error(`${prefix}no answer within ${timeoutMs} ms to ${JSON.stringify(full).slice(0, 200)}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (f) => (clearTimeout(timer), resolve(f)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        what,
      });
      this.sendRaw(full);
    });
  }

  /** Sends a command and returns the ack's result; throws if the answer is an error frame. */
  async ok(frame: Command, timeoutMs?: number): Promise<Record<string, unknown>> {
    const answer = await this.command(frame, timeoutMs);
    if (answer.type !== 'ack') {
      throw new Error(
        `${this.label ? `${this.label}: ` : ''}expected ack to ${frame.type}, got ${JSON.stringify(answer)}`,
      );
    }
    const result = answer.result;
    return typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  }

  /** Sends one command frame as is (no id added, no answer awaited). */
  send(frame: Command): void {
    this.sendRaw(frame);
  }

  /** Sends any value in this connection's encoding. */
  sendRaw(value: unknown): void {
    this.framesOut++;
    this.ws.send(this.binary ? packr.pack(value) : JSON.stringify(value), { binary: this.binary });
  }

  /** Sends bytes as they are, as a binary or a text message. */
  sendBytes(data: Buffer | string, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /** Resumes page by page until the server says no more remain; returns the last ack's result. */
  async resumeAll(conversationId: string, lastSeq: number): Promise<Record<string, unknown>> {
    for (let from = lastSeq; ; ) {
      const r = await this.ok({ type: 'resume', conversationId, lastSeq: from });
      if (r.more !== true) return r;
      from = r.lastSeq as number;
    }
  }

  /** Resolves with the first kept frame (already received or future) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = this.commandTimeoutMs, what = 'an event'): Promise<Frame> {
    const found = this.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const done = (f: Frame): void => {
        clearTimeout(timer);
        resolve(f);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`${this.label ? `${this.label}: ` : ''}timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push({ pred, resolve: done });
    });
  }

  /** Resolves with the close code once the connection is closed. */
  waitForClose(timeoutMs = this.commandTimeoutMs): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs);
      this.closeWaiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  /** Closes the connection; resolves when closed, or after `graceMs`, terminating it. */
  close(graceMs = 5000): Promise<void> {
    if (this.closeCode !== undefined || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, graceMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
      else this.ws.close();
    });
  }

  /** Drops the connection without a close handshake, as a crashed client would. */
  terminate(): void {
    this.ws.terminate();
    this.drop(undefined);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    this.framesIn++;
    let value: unknown;
    try {
      // Until the server has seen a binary frame from us it answers in text (JSON).
      value = isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'));
    } catch {
      this.badFrames++;
      return;
    }
    if (!isFrame(value)) {
      this.badFrames++;
      return;
    }
    if (value.type === 'ack' || value.type === 'error') {
      const id = value.id;
      const waiting = typeof id === 'string' || typeof id === 'number' ? this.pending.get(id) : undefined;
      if (waiting) {
        this.pending.delete(id as CommandId);
        waiting.resolve(value);
        return;
      }
      if (value.type === 'error') this.errorsWithoutId.push(value);
    }
    if (this.onFrame) {
      this.onFrame(value);
      return;
    }
    this.events.push(value);
    if (this.waiters.length > 0) {
      const frame = value;
      this.waiters = this.waiters.filter((w) => (w.pred(frame) ? (w.resolve(frame), false) : true));
    }
  }

  private drop(code: number | undefined): void {
    if (code !== undefined && this.closeCode === undefined) this.closeCode = code;
    if (this.dropped) {
      if (code !== undefined) for (const w of this.closeWaiters.splice(0)) w(code);
      return;
    }
    this.dropped = true;
    for (const p of this.pending.values()) p.reject(new ConnectionLost(p.what, code));
    this.pending.clear();
    if (code !== undefined) for (const w of this.closeWaiters.splice(0)) w(code);
  }
}
