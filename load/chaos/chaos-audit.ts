/**
 * The auditor: an admin connection to the restarted server, before any other
 * client is back. It replays every conversation that changed since the last
 * audit (and every open one) from seq 0 and checks it against the ledger
 * (chaos-ledger.ts), and compares what the server rebuilt from its indexes
 * (the live view's open conversations, the queues, `explain`, the transfer
 * chains) with the journal.
 */
import type { Frame } from '../client/protocol-socket.js';
import { ProtocolSocket } from '../client/protocol-socket.js';
import {
  checkJournal,
  checkQueueOrder,
  checkTransferChain,
  derive,
  digest,
  type DerivedState,
  type Ledger,
} from './chaos-ledger.js';

export interface AuditFigures {
  conversations: number;
  messagesChecked: number;
  eventsChecked: number;
  /** Conversations waiting in the queues after the restart. */
  waiting: number;
}

/** Conversations waiting per department, in queue order. */
export type QueueSnapshot = Map<string, string[]>;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The server may still be routing what was unplaced at boot: compare the rebuilt views a few times before calling a difference a failure. */
const SETTLE_ATTEMPTS = 5;
const SETTLE_MS = 200;

export class Auditor {
  private readonly collected = new Map<string, Frame[]>();

  private constructor(
    private readonly sock: ProtocolSocket,
    private readonly ledger: Ledger,
    private readonly departments: readonly string[],
  ) {
    sock.onFrame = (f) => {
      if (typeof f.seq !== 'number' || typeof f.conversationId !== 'string') return;
      const list = this.collected.get(f.conversationId) ?? [];
      const last = list.at(-1)?.seq as number | undefined;
      // OPS-2 for the auditor's own connection: replay then live, each event once and in order.
      if (last !== undefined && f.seq !== last + 1)
        ledger.fail(`auditor: ${f.conversationId} seq ${f.seq} after ${last}`);
      list.push(f);
      this.collected.set(f.conversationId, list);
    };
  }

  static async connect(url: string, token: string, ledger: Ledger, departments: readonly string[]): Promise<Auditor> {
    const sock = await ProtocolSocket.connect(`${url}/v1/staff?token=${encodeURIComponent(token)}`, {
      binary: true,
      connectTimeoutMs: 5000,
    });
    return new Auditor(sock, ledger, departments);
  }

  /** Queue listings of every department, in queue order. */
  async queues(): Promise<QueueSnapshot> {
    const answers = await Promise.all(
      this.departments.map((department) => this.sock.ok({ type: 'queue', department })),
    );
    return new Map(
      answers.map((a) => [
        a.department as string,
        (a.waiting as { conversationId: string }[]).map((w) => w.conversationId),
      ]),
    );
  }

  /** Checks `all` conversations of the ledger, or those touched since the last audit and those open then. */
  async audit(opts: { all?: boolean; before?: QueueSnapshot } = {}): Promise<AuditFigures> {
    const { ledger } = this;
    const open = await this.openConversations();
    const ids = new Set<string>(open.keys());
    for (const f of ledger.conversations.values())
      if (opts.all || f.touched || (f.state && f.state.status !== 'resolved')) ids.add(f.id);
    const figures: AuditFigures = { conversations: ids.size, messagesChecked: 0, eventsChecked: 0, waiting: 0 };
    const list = [...ids];
    const BATCH = 16;
    for (let i = 0; i < list.length; i += BATCH) {
      await Promise.all(
        list.slice(i, i + BATCH).map(async (id) => {
          const facts = ledger.facts(id);
          this.collected.set(id, []);
          await this.sock.resumeAll(id, 0);
          const events = [...(this.collected.get(id) ?? [])];
          const check = checkJournal(facts, events);
          for (const f of check.failures) ledger.fail(f);
          figures.messagesChecked += check.messagesChecked;
          figures.eventsChecked += facts.seen.size;
          facts.state = check.state;
          if (!check.state) return ledger.fail(`${id}: the restarted server has no created event for it`);
          const chain = (await this.sock.ok({ type: 'transfers', conversationId: id })).transfers as Frame[];
          for (const f of checkTransferChain(facts, chain, check.state.transferred)) ledger.fail(f);
        }),
      );
    }
    figures.waiting = await this.compareRebuilt(ids, opts.before);
    for (const id of ids) ledger.facts(id).state = this.state(id);
    for (const id of ids) ledger.facts(id).touched = false;
    return figures;
  }

  /** The journal's state of a conversation, including events committed since its replay. */
  private state(id: string): DerivedState | undefined {
    return derive(this.collected.get(id) ?? []);
  }

  /**
   * The views rebuilt from indexes at boot must match the journal: the live
   * view's open conversations (the `open` records), `explain` (the actor's
   * state from snapshot and journal), the queues (order kept from before the
   * kill, members = the conversations the journal says are queued).
   */
  private async compareRebuilt(ids: ReadonlySet<string>, before: QueueSnapshot | undefined): Promise<number> {
    let problems: string[] = [];
    let waiting = 0;
    for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
      problems = [];
      const open = await this.openConversations();
      const queues = await this.queues();
      waiting = [...queues.values()].reduce((n, q) => n + q.length, 0);
      for (const id of ids) {
        const s = this.state(id);
        if (!s) continue;
        const listed = open.get(id);
        const journal =
          s.status === 'resolved' ? undefined : { status: s.status, department: s.department, agentId: s.agentId };
        if (digest(listed) !== digest(journal))
          problems.push(`${id}: live view (open record) ${digest(listed)}, journal ${digest(journal)}`);
        const explained = await this.sock.ok({ type: 'explain', conversationId: id });
        if (explained.status !== s.status || explained.department !== s.department) {
          problems.push(
            `${id}: explain says ${String(explained.status)} in ${String(explained.department)}, journal ${s.status} in ${s.department}`,
          );
        }
      }
      for (const [department, line] of queues) {
        if (before) problems.push(...checkQueueOrder(department, before.get(department) ?? [], line));
        const queued = [...ids]
          .filter((id) => this.state(id)?.status === 'queued' && this.state(id)?.department === department)
          .sort();
        if (digest([...line].sort()) !== digest(queued))
          problems.push(
            `${department}: queue lists [${[...line].sort().join(', ')}], journal has queued [${queued.join(', ')}]`,
          );
      }
      if (problems.length === 0) break;
      await pause(SETTLE_MS);
    }
    for (const p of problems) this.ledger.fail(p);
    return waiting;
  }

  /** Open conversations as the live view lists them (from the `open` records), by id. */
  private async openConversations(): Promise<
    Map<string, { status: string; department: string; agentId: string | undefined }>
  > {
    const r = await this.sock.ok({ type: 'monitor' });
    await this.sock.ok({ type: 'unmonitor' });
    const list = r.conversations as { conversationId: string; status: string; department: string; agentId?: string }[];
    return new Map(
      list.map((c) => [c.conversationId, { status: c.status, department: c.department, agentId: c.agentId }]),
    );
  }

  /** Conversations the journal assigns to each agent, and each visitor's open conversation. */
  expectations(): { assigned: Map<string, Set<string>>; openOf: Map<string, string> } {
    const assigned = new Map<string, Set<string>>();
    const openOf = new Map<string, string>();
    for (const f of this.ledger.conversations.values()) {
      const s = f.state;
      if (!s || s.status === 'resolved') continue;
      if (s.status === 'assigned' && s.agentId)
        assigned.set(s.agentId, (assigned.get(s.agentId) ?? new Set()).add(f.id));
      const other = openOf.get(s.visitorId);
      if (other)
        this.ledger.fail(`visitor ${s.visitorId} has two open conversations in the journal: ${other}, ${f.id}`);
      openOf.set(s.visitorId, f.id);
    }
    return { assigned, openOf };
  }

  close(): void {
    this.sock.terminate();
  }
}
