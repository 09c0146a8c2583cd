/**
 * A chaos-harness visitor: starts a conversation, writes in it with client
 * message ids, starts the next one once staff resolve it. Everything acked
 * or received goes to the ledger. After a restart it says hello with its
 * visitor id, resumes from the last seq it saw and retries every send that
 * was never answered, with the same client message id (OPS-2).
 */
import type { Frame } from '../client/protocol-socket.js';
import { ConnectionLost, ProtocolSocket, type Command } from '../client/protocol-socket.js';
import { senderKey, type Ledger } from './chaos-ledger.js';

interface PendingSend {
  kind: 'start' | 'send';
  clientMsgId: string;
  text: string;
  department: string;
  /** For a send: where it went. */
  conversationId?: string;
}

export class ChaosVisitor {
  visitorId: string | undefined;
  conversationId: string | undefined;
  private sock: ProtocolSocket | undefined;
  /** Highest seq received per conversation, on any of this visitor's connections. */
  private readonly lastSeen = new Map<string, number>();
  private readonly resolved = new Set<string>();
  private readonly unanswered = new Map<string, PendingSend>();
  private busy = false;
  private sent = 0;

  constructor(
    readonly name: string,
    private readonly departments: readonly string[],
    private readonly ledger: Ledger,
    private readonly random: () => number,
  ) {}

  get connected(): boolean {
    return this.sock !== undefined && !this.sock.closed;
  }

  /**
   * (Re)connects: hello with the kept visitor id (the restarted server must
   * name the open conversation the journal has, `expectedOpen`), resume
   * from the last seq seen, then retry what was never answered.
   */
  async connect(url: string, expectedOpen?: (visitorId: string) => string | undefined): Promise<void> {
    const sock = await ProtocolSocket.connect(`${url}/v1/visitor`, { binary: true, connectTimeoutMs: 5000 });
    this.sock = sock;
    sock.onFrame = (f) => this.onEvent(f);
    const hello = await sock.ok({ type: 'hello', ...(this.visitorId ? { visitorId: this.visitorId } : {}) });
    this.visitorId = hello.visitorId as string;
    const open = hello.conversationId as string | undefined;
    if (expectedOpen && open !== expectedOpen(this.visitorId)) {
      this.ledger.fail(
        `${this.name}: hello after the restart names open conversation ${String(open)}, the journal ${String(expectedOpen(this.visitorId))}`,
      );
    }
    if (open !== undefined && open !== this.conversationId) {
      // A start (or reopening send) committed but never answered: the conversation exists.
      this.conversationId = open;
      this.ledger.facts(open);
    }
    if (this.conversationId) await this.resume(this.conversationId);
    const retries = [...this.unanswered.values()];
    this.unanswered.clear();
    for (const p of retries) await this.issue(p);
  }

  /** One step of traffic; does nothing while a command is in flight. */
  act(): void {
    if (this.busy || !this.connected) return;
    const department = this.departments[Math.floor(this.random() * this.departments.length)]!;
    const clientMsgId = `${this.name}-${++this.sent}`;
    const current = this.conversationId;
    if (!current || this.resolved.has(current))
      void this.issue({ kind: 'start', clientMsgId, text: `hello from ${this.name}`, department });
    else
      void this.issue({
        kind: 'send',
        clientMsgId,
        text: `message ${this.sent} from ${this.name}`,
        department,
        conversationId: current,
      });
  }

  private async issue(p: PendingSend): Promise<void> {
    const sock = this.sock;
    if (!sock) return;
    this.busy = true;
    if (p.conversationId) this.ledger.facts(p.conversationId);
    this.unanswered.set(p.clientMsgId, p);
    try {
      const frame: Command =
        p.kind === 'start'
          ? { type: 'start', department: p.department, text: p.text, clientMsgId: p.clientMsgId }
          : { type: 'send', conversationId: p.conversationId as string, text: p.text, clientMsgId: p.clientMsgId };
      const answer = await sock.command(frame);
      this.unanswered.delete(p.clientMsgId);
      if (answer.type !== 'ack') {
        // A refusal is no promise: nothing to hold the server to (e.g. conflict on a conversation resolved meanwhile).
        return;
      }
      const r = answer.result as Record<string, unknown>;
      const conversationId = r.conversationId as string;
      if (p.kind === 'start') {
        // Not followed yet (another conversation, or reopened while this visitor thought it resolved): catch up.
        if (r.created === false && (conversationId !== this.conversationId || this.resolved.has(conversationId)))
          await this.resume(conversationId);
        this.conversationId = conversationId;
      }
      if (typeof r.seq === 'number')
        this.ledger.ackMessage(conversationId, senderKey('visitor', this.visitorId!, p.clientMsgId), r.seq);
    } catch (err) {
      if (!(err instanceof ConnectionLost))
        this.ledger.fail(`${this.name}: ${p.kind} ${p.clientMsgId}: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private resume(conversationId: string): Promise<void> {
    return this.sock!.resumeAll(conversationId, this.lastSeen.get(conversationId) ?? 0).then(() => undefined);
  }

  private onEvent(f: Frame): void {
    if (typeof f.seq !== 'number' || typeof f.conversationId !== 'string') return;
    const conversationId = f.conversationId;
    const last = this.lastSeen.get(conversationId) ?? 0;
    // OPS-2: what a visitor follows arrives once each, in order, across reconnects.
    if (f.seq !== last + 1)
      this.ledger.fail(
        `${this.name}: ${conversationId} event seq ${f.seq} after seq ${last} (${f.seq <= last ? 'duplicate' : 'gap'})`,
      );
    this.lastSeen.set(conversationId, Math.max(last, f.seq));
    this.ledger.observe(f);
    if (f.type === 'resolved') this.resolved.add(conversationId);
    if (f.type === 'reopened') this.resolved.delete(conversationId);
  }

  disconnect(): void {
    this.sock?.terminate();
  }
}
