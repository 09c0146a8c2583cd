/**
 * A protocol client over real WebSockets (ws), speaking msgpack or JSON.
 * Commands get auto ids; `command` resolves with the ack or error frame that
 * answers it. Every other frame is kept in `events`, in arrival order.
 */
import WebSocket from 'ws';
import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export type Frame = Record<string, unknown> & { type: string };

export interface ClientOptions {
  binary?: boolean;
  headers?: Record<string, string>;
}

export class TestClient {
  readonly events: Frame[] = [];
  readonly errorsWithoutId: Frame[] = [];
  closeCode: number | undefined;
  private nextId = 1;
  private readonly pending = new Map<string | number, (f: Frame | Error) => void>();
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private closeWaiters: ((code: number) => void)[] = [];

  private constructor(readonly ws: WebSocket, readonly binary: boolean) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = (isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'))) as Frame;
      if ((frame.type === 'ack' || frame.type === 'error') && frame.id !== undefined && this.pending.has(frame.id as string)) {
        const resolve = this.pending.get(frame.id as string)!;
        this.pending.delete(frame.id as string);
        resolve(frame);
        return;
      }
      if (frame.type === 'error') this.errorsWithoutId.push(frame);
      this.events.push(frame);
      this.waiters = this.waiters.filter((w) => (w.pred(frame) ? (w.resolve(frame), false) : true));
    });
    ws.on('close', (code: number) => {
      this.closeCode = code;
      for (const answer of this.pending.values()) answer(new Error(`connection closed (${code}) before the answer`));
      this.pending.clear();
      for (const w of this.closeWaiters.splice(0)) w(code);
    });
  }

  static connect(url: string, opts: ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: opts.headers ?? {} });
      const client = new TestClient(ws, opts.binary ?? false);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => {
        // Destroyed, or the refused HTTP socket lingers until the server's idle timeout.
        req.destroy();
        reject(new Error(`upgrade refused: ${res.statusCode}`));
      });
    });
  }

  /** Sends a command (id added unless given) and resolves with its ack or error frame. */
  command(frame: Record<string, unknown>, timeoutMs = 15_000): Promise<Frame> {
    const id = (frame.id as string | number | undefined) ?? this.nextId++;
    const full = { ...frame, id };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(full).slice(0, 200)}`)), timeoutMs);
      this.pending.set(id, (f) => {
        clearTimeout(timer);
        if (f instanceof Error) reject(f);
        else resolve(f);
      });
      this.sendRaw(full);
    });
  }

  /** Sends a command and returns the ack's result; throws if the answer is an error. */
  async ok(frame: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await this.command(frame);
    if (answer.type !== 'ack') throw new Error(`expected ack, got ${JSON.stringify(answer)}`);
    return (answer.result as Record<string, unknown> | undefined) ?? {};
  }

  sendRaw(value: unknown): void {
    this.ws.send(this.binary ? packr.pack(value) : JSON.stringify(value), { binary: this.binary });
  }

  sendBytes(data: Buffer | string, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /** Resumes page by page until the server says no more remain; returns the last ack's result. */
  async resumeAll(conversationId: string, lastSeq: number): Promise<Record<string, unknown>> {
    for (;;) {
      const r = await this.ok({ type: 'resume', conversationId, lastSeq });
      if (r.more !== true) return r;
      lastSeq = r.lastSeq as number;
    }
  }

  /** Resolves with the first event (already received or future) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    const found = this.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  waitForClose(timeoutMs = 15_000): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs);
      this.closeWaiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  /** Events of one conversation that carry a seq, in arrival order. */
  conversationEvents(conversationId: string): Frame[] {
    return this.events.filter((e) => e.conversationId === conversationId && typeof e.seq === 'number');
  }

  close(): Promise<void> {
    if (this.closeCode !== undefined || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    const done = this.waitForClose().then(() => undefined);
    this.ws.close();
    return done;
  }
}
