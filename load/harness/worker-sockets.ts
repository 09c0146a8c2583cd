/**
 * The connections one client worker holds, and how it opens them: staff
 * signed in and online, visitors (idle, or each with an assigned
 * conversation), and sockets to the bare echo server. Sockets are opened a
 * batch at a time so that a worker never floods the server's accept queue.
 */
import { ProtocolSocket } from '../client/protocol-socket.js';
import type { AgentAccount, ConnectResult } from './worker-protocol.js';

export interface AgentConn {
  id: string;
  socket: ProtocolSocket;
}

export interface VisitorConn {
  socket: ProtocolSocket;
  visitorId: string;
  /** The conversation it started ('' when it has none). */
  conversationId: string;
}

export class WorkerSockets {
  readonly agents: AgentConn[] = [];
  readonly visitors: VisitorConn[] = [];
  readonly echo: ProtocolSocket[] = [];
  readonly idle: ProtocolSocket[] = [];

  constructor(readonly workerIndex: number) {}

  get count(): number {
    return this.agents.length + this.visitors.length + this.echo.length + this.idle.length;
  }

  async connectAgents(url: string, accounts: readonly AgentAccount[]): Promise<{ connected: number; slots: number }> {
    let slots = 0;
    await inBatches(accounts, BATCH, async (a) => {
      const socket = await ProtocolSocket.connect(url, {
        binary: true,
        label: `staff ${a.id}`,
        connectTimeoutMs: 20_000,
        commandTimeoutMs: 5000,
      });
      this.agents.push({ id: a.id, socket });
      await socket.ok({ type: 'signin', token: a.token }, 20_000);
      const r = await socket.ok({ type: 'status', status: 'online' }, 20_000);
      slots += (typeof r.max === 'number' ? r.max : 0) - (typeof r.active === 'number' ? r.active : 0);
    });
    return { connected: accounts.length, slots };
  }

  /** Visitors that say hello; with `converse`, each starts a conversation in `department` and waits for its routing. */
  async connectVisitors(
    url: string,
    count: number,
    department: string,
    converse: boolean,
  ): Promise<{ assigned: number; queued: number }> {
    let assigned = 0;
    let queued = 0;
    const first = this.visitors.length;
    await inBatches(range(count), BATCH, async (i) => {
      const socket = await ProtocolSocket.connect(url, {
        binary: true,
        label: `visitor ${this.workerIndex}.${first + i}`,
        connectTimeoutMs: 20_000,
        commandTimeoutMs: 5000,
      });
      const hello = await socket.ok({ type: 'hello' }, 20_000);
      if (typeof hello.visitorId !== 'string') throw new Error(`hello answered no visitorId: ${JSON.stringify(hello)}`);
      const v: VisitorConn = { socket, visitorId: hello.visitorId, conversationId: '' };
      this.visitors.push(v);
      if (!converse) return;
      const started = await socket.ok({ type: 'start', department }, 20_000);
      if (typeof started.conversationId !== 'string')
        throw new Error(`start answered no conversationId: ${JSON.stringify(started)}`);
      const conversationId = started.conversationId;
      v.conversationId = conversationId;
      const outcome = await socket.waitFor(
        (f) => (f.type === 'assigned' || f.type === 'queued') && f.conversationId === conversationId,
        20_000,
        `assigned/queued of ${conversationId}`,
      );
      if (outcome.type === 'assigned') assigned++;
      else queued++;
    });
    return { assigned, queued };
  }

  async connectIdle(url: string, count: number, hello: boolean): Promise<void> {
    const first = this.idle.length;
    await inBatches(range(count), BATCH, async (i) => {
      const socket = await ProtocolSocket.connect(url, {
        binary: true,
        label: `idle ${this.workerIndex}.${first + i}`,
        connectTimeoutMs: 20_000,
        commandTimeoutMs: 5000,
      });
      this.idle.push(socket);
      if (hello) await socket.ok({ type: 'hello' }, 20_000);
    });
  }

  async connectEcho(url: string, count: number): Promise<void> {
    const first = this.echo.length;
    await inBatches(range(count), BATCH, async (i) => {
      this.echo.push(
        await ProtocolSocket.connect(url, {
          binary: true,
          label: `echo ${this.workerIndex}.${first + i}`,
          connectTimeoutMs: 20_000,
          commandTimeoutMs: 5000,
        }),
      );
    });
  }

  /** Stops every hot-path listener (frames are dropped from now on rather than kept in a backlog). */
  quiet(): void {
    const drop = (): void => undefined;
    for (const s of this.all()) s.onFrame = drop;
  }

  async closeAll(): Promise<void> {
    const sockets = this.all();
    this.agents.length = 0;
    this.visitors.length = 0;
    this.echo.length = 0;
    this.idle.length = 0;
    await inBatches(sockets, 500, (s) => s.close(1000));
  }

  result(extra: Partial<ConnectResult>): ConnectResult {
    return { connected: 0, slots: 0, assigned: 0, queued: 0, sockets: this.count, now: 0, ...extra };
  }

  private all(): ProtocolSocket[] {
    return [...this.agents.map((a) => a.socket), ...this.visitors.map((v) => v.socket), ...this.echo, ...this.idle];
  }
}

/** Sockets opened (and set up) at a time by one worker. */
const BATCH = 100;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export async function inBatches<T>(
  items: readonly T[],
  batch: number,
  fn: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  for (let first = 0; first < items.length; first += batch) {
    await Promise.all(items.slice(first, first + batch).map((item, i) => fn(item, first + i)));
  }
}
