/**
 * A chaos-harness agent: online in its department, answers the conversations
 * it is given, and now and then resolves one or transfers it to a colleague
 * or to the other department. Acks and received events go to the ledger.
 * After a restart it signs in again (the ack must list exactly the
 * conversations the journal assigns to it), resumes each from the last seq
 * it saw, retries unanswered sends with the same client message id, and goes
 * online.
 */
import type { Frame } from '../client/protocol-socket.js';
import { ConnectionLost, ProtocolSocket, type Command } from '../client/protocol-socket.js';
import { digest, senderKey, type Ledger } from './chaos-ledger.js';

export interface AgentAccount {
  id: string;
  token: string;
  department: string;
}

interface PendingSend {
  conversationId: string;
  clientMsgId: string;
  text: string;
}

/** Shares of an agent's actions on one of its conversations. */
const REPLY = 0.7;
const RESOLVE = 0.85;
const TO_COLLEAGUE = 0.93;
/** One conversation in LONG_ONE_IN is kept open past this many events, so that it is recovered from a snapshot (taken every 200). */
const LONG_EVENTS = 260;
const LONG_ONE_IN = 8;

/** Whether a conversation is one of the long ones: decided by its id, so every agent agrees. */
const isLong = (conversationId: string): boolean =>
  [...conversationId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % LONG_ONE_IN === 0;

export class ChaosAgent {
  private sock: ProtocolSocket | undefined;
  readonly serving = new Set<string>();
  private readonly lastSeen = new Map<string, number>();
  private readonly unanswered = new Map<string, PendingSend>();
  private inFlight = 0;
  private sent = 0;
  transfersAcked = 0;
  resolvesAcked = 0;

  constructor(
    readonly account: AgentAccount,
    private readonly colleagues: readonly AgentAccount[],
    private readonly otherDepartments: readonly string[],
    private readonly ledger: Ledger,
    private readonly random: () => number,
  ) {}

  get id(): string {
    return this.account.id;
  }

  get connected(): boolean {
    return this.sock !== undefined && !this.sock.closed;
  }

  /** `expected`: the conversations the journal assigns to this agent (after a restart), checked against the signin ack. */
  async connect(url: string, expected?: ReadonlySet<string>): Promise<void> {
    const sock = await ProtocolSocket.connect(`${url}/v1/staff`, { binary: true, connectTimeoutMs: 5000 });
    this.sock = sock;
    sock.onFrame = (f) => this.onEvent(f);
    const signin = await sock.ok({ type: 'signin', token: this.account.token });
    const listed = [...(signin.conversations as string[])].sort();
    if (expected && digest(listed) !== digest([...expected].sort())) {
      this.ledger.fail(
        `${this.id}: signin after the restart lists [${listed.join(', ')}], the journal assigns [${[...expected].sort().join(', ')}]`,
      );
    }
    this.serving.clear();
    for (const c of listed) {
      this.serving.add(c);
      await this.resume(c);
    }
    const retries = [...this.unanswered.values()];
    this.unanswered.clear();
    await Promise.all(retries.map((p) => this.send(p)));
    await sock.ok({ type: 'status', status: 'online' });
  }

  act(): void {
    if (!this.connected || this.inFlight > 1 || this.serving.size === 0) return;
    const list = [...this.serving];
    const conversationId = list[Math.floor(this.random() * list.length)]!;
    const roll = this.random();
    if (roll < REPLY)
      void this.send({ conversationId, clientMsgId: `${this.id}-${++this.sent}`, text: `answer ${this.sent}` });
    else if (roll < RESOLVE) {
      if (!isLong(conversationId) || (this.lastSeen.get(conversationId) ?? 0) >= LONG_EVENTS)
        void this.resolve(conversationId);
    } else if (roll < TO_COLLEAGUE) {
      const to = this.colleagues[Math.floor(this.random() * this.colleagues.length)];
      if (to) void this.transfer(conversationId, { agentId: to.id });
    } else {
      const department = this.otherDepartments[Math.floor(this.random() * this.otherDepartments.length)];
      if (department) void this.transfer(conversationId, { department });
    }
  }

  private async run(frame: Command & { conversationId: string }): Promise<Frame | undefined> {
    const sock = this.sock;
    if (!sock) return undefined;
    this.ledger.facts(frame.conversationId);
    this.inFlight++;
    try {
      return await sock.command(frame);
    } catch (err) {
      if (!(err instanceof ConnectionLost)) this.ledger.fail(`${this.id}: ${frame.type}: ${(err as Error).message}`);
      return undefined;
    } finally {
      this.inFlight--;
    }
  }

  private async send(p: PendingSend): Promise<void> {
    this.unanswered.set(p.clientMsgId, p);
    const answer = await this.run({
      type: 'send',
      conversationId: p.conversationId,
      clientMsgId: p.clientMsgId,
      text: p.text,
    });
    if (!answer) return;
    this.unanswered.delete(p.clientMsgId);
    if (answer.type === 'ack')
      this.ledger.ackMessage(
        p.conversationId,
        senderKey('agent', this.id, p.clientMsgId),
        (answer.result as { seq: number }).seq,
      );
    else this.serving.delete(p.conversationId);
  }

  private async resolve(conversationId: string): Promise<void> {
    const answer = await this.run({ type: 'resolve', conversationId });
    if (answer?.type !== 'ack') return;
    this.serving.delete(conversationId);
    this.resolvesAcked++;
    this.ledger.ackChange(conversationId, (answer.result as { seq: number }).seq, { type: 'resolved' });
  }

  private async transfer(conversationId: string, to: { agentId: string } | { department: string }): Promise<void> {
    const answer = await this.run({ type: 'transfer', conversationId, to, note: `from ${this.id}`, reason: 'chaos' });
    if (answer?.type !== 'ack') return;
    const r = answer.result as { n: number; seq: number; department: string; agentId?: string };
    this.serving.delete(conversationId);
    this.transfersAcked++;
    this.ledger.ackTransfer(conversationId, r.n, to);
    this.ledger.ackChange(
      conversationId,
      r.seq,
      'agentId' in to ? { type: 'assigned', agentId: to.agentId } : { type: 'transferred', department: to.department },
    );
  }

  private resume(conversationId: string): Promise<void> {
    return this.sock!.resumeAll(conversationId, this.lastSeen.get(conversationId) ?? 0).then(() => undefined);
  }

  private onEvent(f: Frame): void {
    if (f.type === 'handover') {
      // XFER-4: the history before the assignment is committed journal too.
      for (const e of f.history as Frame[]) if (typeof e.seq === 'number') this.ledger.observe(e);
      return;
    }
    if (typeof f.seq !== 'number' || typeof f.conversationId !== 'string') return;
    const conversationId = f.conversationId;
    const last = this.lastSeen.get(conversationId) ?? 0;
    // OPS-2: never the same event twice, never out of order (an agent follows only while it serves, so gaps are allowed).
    if (f.seq <= last)
      this.ledger.fail(
        `${this.id}: ${conversationId} event seq ${f.seq} after seq ${last} (duplicate or out of order)`,
      );
    this.lastSeen.set(conversationId, Math.max(last, f.seq));
    this.ledger.observe(f);
    const agent = f.agent as { id: string } | undefined;
    if (f.type === 'assigned' && agent?.id === this.id) this.serving.add(conversationId);
    else if (f.type === 'assigned' || f.type === 'transferred' || f.type === 'unassigned' || f.type === 'resolved')
      this.serving.delete(conversationId);
  }

  disconnect(): void {
    this.sock?.terminate();
  }
}
