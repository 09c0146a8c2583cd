/**
 * The chaos harness's WebSocket client: msgpack frames, commands answered by
 * id, every other frame to `onEvent`. Unlike the benchmark socket, a command
 * still unanswered when the connection drops fails at once: a killed server
 * never answers, and the caller must know which commands to retry.
 */
import WebSocket from 'ws';
import { packr, type Frame } from './bench-client.js';

export class ConnectionLost extends Error {
  constructor(what: string) {
    super(`connection lost before the answer to ${what}`);
    this.name = 'ConnectionLost';
  }
}

export class ChaosSocket {
  onEvent: (f: Frame) => void = () => undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (f: Frame) => void; reject: (e: Error) => void; what: string }>();
  private lost = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', () => this.drop());
    ws.on('error', () => this.drop());
  }

  static open(url: string, timeoutMs = 5000): Promise<ChaosSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const sock = new ChaosSocket(ws);
      ws.once('open', () => resolve(sock));
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        reject(new Error(`upgrade refused: HTTP ${res.statusCode ?? '?'}`));
      });
    });
  }

  get closed(): boolean {
    return this.lost;
  }

  /** Resolves with the ack or error frame answering `frame`; rejects with ConnectionLost if the connection drops first. */
  command(frame: Frame, timeoutMs = 15_000): Promise<Frame> {
    if (this.lost) return Promise.reject(new ConnectionLost(frame.type));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${frame.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (f) => (clearTimeout(timer), resolve(f)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        what: frame.type,
      });
      this.ws.send(packr.pack({ ...frame, id }), { binary: true });
    });
  }

  /** The ack's result; throws on an error frame. */
  async ok(frame: Frame, timeoutMs?: number): Promise<Record<string, unknown>> {
    const answer = await this.command(frame, timeoutMs);
    if (answer.type !== 'ack') throw new Error(`${frame.type} answered ${JSON.stringify(answer)}`);
    return (answer.result as Record<string, unknown> | undefined) ?? {};
  }

  /** Resumes page by page from `lastSeq` until the server says no more remain; the events arrive through onEvent. */
  async resumeAll(conversationId: string, lastSeq: number): Promise<void> {
    for (let from = lastSeq; ; ) {
      const r = await this.ok({ type: 'resume', conversationId, lastSeq: from });
      if (r.more !== true) return;
      from = r.lastSeq as number;
    }
  }

  terminate(): void {
    this.ws.terminate();
    this.drop();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    // Until the server has seen a binary frame from us it answers in text (JSON).
    const frame = (isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'))) as Frame;
    if ((frame.type === 'ack' || frame.type === 'error') && typeof frame.id === 'number') {
      const waiting = this.pending.get(frame.id);
      if (waiting) {
        this.pending.delete(frame.id);
        waiting.resolve(frame);
        return;
      }
    }
    this.onEvent(frame);
  }

  private drop(): void {
    if (this.lost) return;
    this.lost = true;
    for (const p of this.pending.values()) p.reject(new ConnectionLost(p.what));
    this.pending.clear();
  }
}
