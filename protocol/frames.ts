/**
 * Every frame of protocol v1 as a TypeBox schema: one source for the
 * TypeScript types, the validators and the frame reference in
 * docs/protocol.md (generated: npm run docs). The schemas live in
 * protocol/frames/ by audience and feature, each type beside its schema;
 * this file re-exports them and holds the table of each endpoint.
 * Nothing here imports from actors/ or src/.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { PingFrame } from './frames/common.js';
import { ReadFrame, ResumeFrame, SendFrame, TypingFrame } from './frames/chat.js';
import { HelloFrame, LeaveFrame, RateFrame, StartFrame } from './frames/visitor.js';
import { CustomerFrame, EditCustomerFrame } from './frames/customer.js';
import { DetailsFrame } from './frames/details.js';
import {
  AcceptFrame,
  ClaimFrame,
  DeclineFrame,
  ExplainFrame,
  NoteFrame,
  NotesFrame,
  QueueFrame,
  QueueUpdateEvent,
  ResolveFrame,
  SignInFrame,
  StatusFrame,
  TransferFrame,
  TransferTargetsFrame,
  TransfersFrame,
  RecentResolvedFrame,
} from './frames/staff.js';
import {
  ConversationUpdateEvent,
  JoinFrame,
  LoanFrame,
  MonitorFrame,
  PartFrame,
  TakeoverFrame,
  UnmonitorFrame,
} from './frames/supervise.js';
import { DepartmentMonitorEvent, MonitorDepartmentsFrame, UnmonitorDepartmentsFrame } from './frames/monitor.js';
import { CannedChangedEvent, CannedDeleteFrame, CannedListFrame, CannedSaveFrame } from './frames/canned.js';
import { AckFrame, ErrorFrame } from './frames/replies.js';
import {
  AssignedEvent,
  CreatedEvent,
  JoinedEvent,
  MessageEvent,
  PartedEvent,
  QueuedEvent,
  ReopenedEvent,
  ResolvedEvent,
  TransferredEvent,
  UnassignedEvent,
} from './frames/events.js';
import {
  AgentStatusEvent,
  HandoverEvent,
  NoteEvent,
  NoticeEvent,
  OfferEvent,
  QueuePositionEvent,
  ReadEvent,
  TypingEvent,
} from './frames/live.js';

export * from './frames/common.js';
export * from './frames/chat.js';
export * from './frames/visitor.js';
export * from './frames/customer.js';
export * from './frames/details.js';
export * from './frames/staff.js';
export * from './frames/supervise.js';
export * from './frames/monitor.js';
export * from './frames/canned.js';
export * from './frames/replies.js';
export * from './frames/events.js';
export * from './frames/live.js';

/** Commands accepted on /v1/visitor, by type. */
export const VisitorCommands = {
  hello: HelloFrame,
  start: StartFrame,
  send: SendFrame,
  resume: ResumeFrame,
  leave: LeaveFrame,
  rate: RateFrame,
  details: DetailsFrame,
  ping: PingFrame,
  typing: TypingFrame,
  read: ReadFrame,
} as const satisfies Record<string, TSchema>;
export type VisitorCommand = {
  [K in keyof typeof VisitorCommands]: Static<(typeof VisitorCommands)[K]>;
}[keyof typeof VisitorCommands];

/** Commands accepted on /v1/staff, by type. */
export const StaffCommands = {
  signin: SignInFrame,
  status: StatusFrame,
  send: SendFrame,
  resume: ResumeFrame,
  resolve: ResolveFrame,
  claim: ClaimFrame,
  queue: QueueFrame,
  accept: AcceptFrame,
  decline: DeclineFrame,
  explain: ExplainFrame,
  customer: CustomerFrame,
  edit_customer: EditCustomerFrame,
  transfer: TransferFrame,
  transfers: TransfersFrame,
  recent_resolved: RecentResolvedFrame,
  transfer_targets: TransferTargetsFrame,
  note: NoteFrame,
  notes: NotesFrame,
  join: JoinFrame,
  part: PartFrame,
  takeover: TakeoverFrame,
  monitor: MonitorFrame,
  unmonitor: UnmonitorFrame,
  monitor_departments: MonitorDepartmentsFrame,
  unmonitor_departments: UnmonitorDepartmentsFrame,
  loan: LoanFrame,
  ping: PingFrame,
  typing: TypingFrame,
  read: ReadFrame,
  canned_list: CannedListFrame,
  canned_save: CannedSaveFrame,
  canned_delete: CannedDeleteFrame,
} as const satisfies Record<string, TSchema>;
export type StaffCommand = {
  [K in keyof typeof StaffCommands]: Static<(typeof StaffCommands)[K]>;
}[keyof typeof StaffCommands];

/** Frames the server sends, by type. */
export const ServerFrames = {
  ack: AckFrame,
  error: ErrorFrame,
  created: CreatedEvent,
  message: MessageEvent,
  queued: QueuedEvent,
  assigned: AssignedEvent,
  unassigned: UnassignedEvent,
  resolved: ResolvedEvent,
  queue_position: QueuePositionEvent,
  agent_status: AgentStatusEvent,
  notice: NoticeEvent,
  offer: OfferEvent,
  transferred: TransferredEvent,
  joined: JoinedEvent,
  parted: PartedEvent,
  reopened: ReopenedEvent,
  handover: HandoverEvent,
  note: NoteEvent,
  conversation_update: ConversationUpdateEvent,
  department_monitor: DepartmentMonitorEvent,
  typing: TypingEvent,
  read: ReadEvent,
  canned_changed: CannedChangedEvent,
  queue_update: QueueUpdateEvent,
} as const satisfies Record<string, TSchema>;

export type ServerFrame = {
  [K in keyof typeof ServerFrames]: Static<(typeof ServerFrames)[K]>;
}[keyof typeof ServerFrames];
