/**
 * The workbench's effects: it asks for the department monitor and the live
 * view on every new socket (a reconnect starts both again, their acks
 * replace what the wall held), folds the frames into the pure models
 * (monitor-model.ts, watch-model.ts), runs the supervision commands and
 * keeps the last outcome as a message to show. Components read `state` and
 * re-render on `subscribe`.
 */
import type { ServerFrame, TransferTarget } from '../../../../protocol/frames.js';
import {
  applyConversationList,
  applyConversationUpdate,
  applyMonitorAck,
  applyMonitorDelta,
  emptyWall,
  type WallState,
} from './monitor-model.js';
import type { Viewer } from './offered-actions.js';
import { SupervisionCommands, type CommandPort } from './supervision-commands.js';
import type { WorkbenchKey } from './strings.js';
import {
  applyEvents,
  applyNotes,
  isConversationEvent,
  lastSeqOf,
  markLive,
  watching,
  type WatchState,
} from './watch-model.js';

/** What the workbench needs of the console's connection (the shell adapts its session to it). */
export interface WorkbenchPort extends CommandPort {
  readonly connected: boolean;
  /** Returns the function that stops the subscription. */
  subscribe(hooks: WorkbenchHooks): () => void;
}

export interface WorkbenchHooks {
  /** A socket is open and signed in: each new one, and at once when one already is. */
  onOpen(): void;
  onEvent(frame: ServerFrame): void;
  onConnected(connected: boolean): void;
}

/** A message for the person: a key of the workbench's strings and its parameters. */
export interface Flash {
  tone: 'ok' | 'error';
  key: WorkbenchKey;
  params: Record<string, string | number>;
  /** Increases with each message, so a repeated one is announced again. */
  n: number;
}

export interface WorkbenchState {
  wall: WallState;
  watch: WatchState | undefined;
  connected: boolean;
  /** Server time minus local time, from the latest monitor frame: the wall's wait clocks run on server time. */
  clockOffset: number;
  flash: Flash | undefined;
  /** The command in flight, so its button shows busy and is not sent twice. */
  busy: string | undefined;
  /** Conversations the viewer joined (SUP-2) and has not left, so the wall offers Leave, not Join. */
  joined: readonly string[];
}

const errorKeys: Record<string, WorkbenchKey> = {
  forbidden: 'err_forbidden',
  not_found: 'err_not_found',
  conflict: 'err_conflict',
  limit_exceeded: 'err_limit_exceeded',
  disconnected: 'err_disconnected',
  unavailable: 'err_unavailable',
  storage_failed: 'err_unavailable',
};

export class WorkbenchStore {
  state: WorkbenchState;
  readonly commands: SupervisionCommands;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private flashes = 0;
  private clientMsgs = 0;

  constructor(
    private readonly port: WorkbenchPort,
    readonly viewer: Viewer,
  ) {
    this.commands = new SupervisionCommands(port);
    this.state = {
      wall: emptyWall,
      watch: undefined,
      connected: port.connected,
      clockOffset: 0,
      flash: undefined,
      busy: undefined,
      joined: [],
    };
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.port.subscribe({
      onOpen: () => void this.load(),
      onEvent: (f) => this.onEvent(f),
      onConnected: (connected) => this.set({ connected }),
    });
  }

  /** Stops following the port; the server's monitor ends with the connection (or its next `monitor` replaces it). */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Server time now, as the wall's wait clocks count it. */
  serverNow(): number {
    return Date.now() + this.state.clockOffset;
  }

  private set(patch: Partial<WorkbenchState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private async load(): Promise<void> {
    this.set({ connected: true });
    try {
      const [ack, conversations] = await Promise.all([
        this.commands.monitorDepartments(),
        this.commands.monitorConversations(),
      ]);
      const wall = applyConversationList(applyMonitorAck(this.state.wall, ack), conversations);
      this.set({ wall, clockOffset: ack.at - Date.now() });
      const watch = this.state.watch;
      if (watch) await this.replay(watch.conversationId, lastSeqOf(watch));
    } catch (err) {
      this.refused(err);
    }
  }

  private onEvent(frame: ServerFrame): void {
    switch (frame.type) {
      case 'department_monitor':
        this.set({ wall: applyMonitorDelta(this.state.wall, frame), clockOffset: frame.at - Date.now() });
        return;
      case 'conversation_update':
        this.set({ wall: applyConversationUpdate(this.state.wall, frame) });
        return;
      case 'note':
        if (this.state.watch) this.set({ watch: applyNotes(this.state.watch, [frame.note]) });
        return;
      default:
        if (this.state.watch && isConversationEvent(frame)) this.setWatch(applyEvents(this.state.watch, [frame]));
    }
  }

  /** SUP-1: opens a conversation and watches it silently: its history page by page, then live. */
  async watch(conversationId: string): Promise<void> {
    if (this.state.watch?.conversationId === conversationId) return;
    this.set({ watch: watching(conversationId) });
    await this.run(`watch:${conversationId}`, async () => {
      await this.replay(conversationId, 0);
      const notes = await this.commands.notes(conversationId);
      if (this.state.watch?.conversationId === conversationId) this.setWatch(applyNotes(this.state.watch, notes));
    });
  }

  /** Once replayed, a watched conversation's events also say whether the viewer is joined (another tab may have joined). */
  private setWatch(watch: WatchState): void {
    if (!watch.live) return this.set({ watch });
    const id = watch.conversationId;
    const joinedNow = watch.joined.includes(this.viewer.id);
    const others = this.state.joined.filter((c) => c !== id);
    this.set({ watch, joined: joinedNow ? [...others, id] : others });
  }

  closeWatch(): void {
    this.set({ watch: undefined });
  }

  /** Replays from `lastSeq` until the last page; the events come as frames before each page's ack. */
  private async replay(conversationId: string, lastSeq: number): Promise<void> {
    let from = lastSeq;
    for (;;) {
      const page = await this.commands.resumePage(conversationId, from);
      if (!page.more) break;
      from = page.lastSeq;
    }
    if (this.state.watch?.conversationId === conversationId) this.setWatch(markLive(this.state.watch));
  }

  async join(conversationId: string): Promise<void> {
    await this.watch(conversationId);
    await this.run(`join:${conversationId}`, () => this.commands.join(conversationId), 'done_join', {
      id: conversationId,
    });
  }

  async part(conversationId: string): Promise<void> {
    await this.run(`part:${conversationId}`, () => this.commands.part(conversationId), 'done_part', {
      id: conversationId,
    });
  }

  async takeover(conversationId: string): Promise<void> {
    await this.watch(conversationId);
    await this.run(`takeover:${conversationId}`, () => this.commands.takeover(conversationId), 'done_takeover', {
      id: conversationId,
    });
  }

  /** SUP-4; resolves true when the server took it, so a dialog knows to close. */
  reassign(conversationId: string, to: TransferTarget, note: string): Promise<boolean> {
    return this.run(
      `reassign:${conversationId}`,
      () => this.commands.reassign(conversationId, to, note),
      'done_reassign',
      {
        id: conversationId,
      },
    );
  }

  async lend(agent: { agentId: string; name: string }, department: string, minutes: number): Promise<boolean> {
    let until = 0;
    const ok = await this.run(`lend:${agent.agentId}`, async () => {
      until = await this.commands.lend(agent.agentId, department, minutes);
    });
    if (!ok) return false;
    if (minutes === 0) this.say('ok', 'done_endLoan', { name: agent.name, department });
    else this.say('ok', 'done_lend', { name: agent.name, department, time: new Date(until).toLocaleString() });
    return true;
  }

  async send(conversationId: string, text: string): Promise<boolean> {
    const clientMsgId = `wb-${Date.now().toString(36)}-${++this.clientMsgs}`;
    return this.run(`send:${conversationId}`, () => this.commands.send(conversationId, clientMsgId, text));
  }

  async resolve(conversationId: string, summary: string): Promise<boolean> {
    return this.run(`resolve:${conversationId}`, () => this.commands.resolve(conversationId, summary), 'done_resolve', {
      id: conversationId,
    });
  }

  dismiss(): void {
    this.set({ flash: undefined });
  }

  /** Runs one command at a time per key; shows its outcome. Resolves whether it succeeded. */
  private async run(
    busy: string,
    fn: () => Promise<unknown>,
    done?: WorkbenchKey,
    params: Record<string, string | number> = {},
  ): Promise<boolean> {
    if (this.state.busy === busy) return false;
    this.set({ busy });
    try {
      await fn();
      if (done) this.say('ok', done, params);
      return true;
    } catch (err) {
      this.refused(err);
      return false;
    } finally {
      if (this.state.busy === busy) this.set({ busy: undefined });
    }
  }

  private refused(err: unknown): void {
    const e = err as { code?: string; message?: string };
    const key = (e.code && errorKeys[e.code]) || 'refused';
    this.say('error', key, { message: e.message ?? String(err) });
  }

  private say(tone: Flash['tone'], key: WorkbenchKey, params: Record<string, string | number>): void {
    this.set({ flash: { tone, key, params, n: ++this.flashes } });
  }
}
