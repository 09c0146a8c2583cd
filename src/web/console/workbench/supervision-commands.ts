/**
 * The supervision commands of the staff protocol (docs/protocol.md:
 * `monitor_departments`, `monitor`, `resume`, `join`, `part`, `takeover`,
 * `transfer` by a supervisor, `loan`), as typed calls over whatever sends
 * staff commands. Each returns the ack's result as the protocol gives it,
 * or rejects with the connection's CommandError (its code, message and
 * field, shown as the server gives them).
 */
import type { ConversationSummary, StaffCommand, TransferTarget } from '../../../../protocol/frames.js';
import type { MonitorAck } from './monitor-model.js';
import type { WatchedNote } from './watch-model.js';

/** A staff command without its id (the connection numbers them). */
export type StaffCommandFrame = StaffCommand extends infer F
  ? F extends { id: unknown }
    ? Omit<F, 'id'>
    : never
  : never;

/** What the workbench needs of the console's connection: one command, one ack. */
export interface CommandPort {
  command(frame: StaffCommandFrame): Promise<Record<string, unknown>>;
}

export interface ResumePage {
  lastSeq: number;
  more: boolean;
  status: string;
}

export class SupervisionCommands {
  constructor(private readonly port: CommandPort) {}

  /** MON-1: the watched departments' figures; `department_monitor` frames follow. */
  async monitorDepartments(): Promise<MonitorAck> {
    return (await this.port.command({ type: 'monitor_departments' })) as unknown as MonitorAck;
  }

  /** SUP-1: the open conversations of the watched departments; `conversation_update` frames follow. */
  async monitorConversations(): Promise<ConversationSummary[]> {
    const r = await this.port.command({ type: 'monitor' });
    return r.conversations as ConversationSummary[];
  }

  /** SUP-1: one page of a silent replay; the events arrive as frames before this ack. */
  async resumePage(conversationId: string, lastSeq: number): Promise<ResumePage> {
    return (await this.port.command({ type: 'resume', conversationId, lastSeq })) as unknown as ResumePage;
  }

  async notes(conversationId: string): Promise<WatchedNote[]> {
    const r = await this.port.command({ type: 'notes', conversationId });
    return r.notes as WatchedNote[];
  }

  /** SUP-2: join as a visible participant. */
  async join(conversationId: string): Promise<void> {
    await this.port.command({ type: 'join', conversationId });
  }

  async part(conversationId: string): Promise<void> {
    await this.port.command({ type: 'part', conversationId });
  }

  /** SUP-3: take the conversation from its agent. */
  async takeover(conversationId: string): Promise<void> {
    await this.port.command({ type: 'takeover', conversationId });
  }

  /** SUP-4: re-assign to a colleague or a department (a supervisor's transfer). */
  async reassign(conversationId: string, to: TransferTarget, note: string): Promise<void> {
    await this.port.command({ type: 'transfer', conversationId, to, note, reason: 'reassigned by a supervisor' });
  }

  /** SUP-4: lend an agent for `minutes` (0 ends a running loan); resolves with the loan's end (0 when ended). */
  async lend(agentId: string, department: string, minutes: number): Promise<number> {
    const r = await this.port.command({ type: 'loan', agentId, department, minutes });
    return r.until as number;
  }

  /** Writes into a conversation the supervisor joined or took over. */
  async send(conversationId: string, clientMsgId: string, text: string): Promise<void> {
    await this.port.command({ type: 'send', conversationId, clientMsgId, text });
  }

  async resolve(conversationId: string, summary: string): Promise<void> {
    await this.port.command({ type: 'resolve', conversationId, summary });
  }
}
