/**
 * The store's key layout, in one place: every record key starts with one of
 * the prefixes below, and every key the actors read or write is built here.
 * The records themselves live beside the actor that owns them; this module
 * knows only how their keys are spelled, so two owners can never pick the
 * same prefix unawares (test/keyspace.test.ts checks that the prefixes are
 * unique and that a range read over one never returns another's records).
 *
 * The layout is on disk: changing a spelling here makes existing stores
 * unreadable. test/keyspace.test.ts compares every key with the layout as
 * first written.
 */
import type { CannedScope } from '../protocol/vocabulary.js';
import type { RecordKey } from './journal.js';

/** The first component of every record key, by owner. */
export const Prefix = {
  // workspace: configuration and the visitor directory
  department: 'department',
  staff: 'staff',
  settings: 'settings',
  secret: 'secret',
  visitor: 'visitor',
  // sessions (ROLE-4)
  session: 'session',
  sessionToken: 'session-token',
  staffSession: 'staff-session',
  // agents
  agentStats: 'agent-stats',
  transferCount: 'transfer-count',
  loan: 'loan',
  // the department monitor (MON-1)
  departmentDay: 'department-day',
  // conversations (actors/conversation)
  open: 'open',
  routing: 'routing',
  decision: 'decision',
  note: 'note',
  transfer: 'transfer',
  rating: 'rating',
  clientMsg: 'cmid',
  readMark: 'read',
  // customers (CUST-1..3)
  customer: 'customer',
  customerByExternalId: 'customer-ext',
  visitorLink: 'visitor-link',
  ipVisitor: 'ip-visitor',
  customerConversation: 'customer-conv',
  // canned replies, files, audit
  canned: 'canned',
  file: 'file',
  fileData: 'file-data',
  audit: 'audit',
  // reports (src/reports): hourly rollups, one tracking record per conversation, and their format mark
  reportHour: 'report-hour',
  reportConversation: 'report-conv',
  reportCreated: 'report-created',
  reportMeta: 'report-meta',
  reportPresence: 'report-presence',
  reportPeriod: 'report-period',
  reportPeriodMark: 'report-period-mark',
  // the console's recently resolved list
  resolvedBy: 'resolved-by',
} as const;

/**
 * Journal stream names (a namespace apart from records): one stream per
 * conversation, and one per agent of their presence changes (MON-2 occupancy).
 */
export const StreamPrefix = { conversation: 'conv:', presence: 'presence:' } as const;

type Side = 'visitor' | 'agent';

export const Keys = {
  department: (id: string): RecordKey => [Prefix.department, id],
  departments: [Prefix.department] as RecordKey,
  staff: (id: string): RecordKey => [Prefix.staff, id],
  /** ROLE-4: sessions by id, tokens (by sha256) to their session, and each staff member's sessions. */
  session: (id: string): RecordKey => [Prefix.session, id],
  sessionToken: (hash: string): RecordKey => [Prefix.sessionToken, hash],
  staffSession: (staffId: string, sessionId: string): RecordKey => [Prefix.staffSession, staffId, sessionId],
  staffSessions: (staffId: string): RecordKey => [Prefix.staffSession, staffId],
  allStaff: [Prefix.staff] as RecordKey,
  open: (conversationId: string): RecordKey => [Prefix.open, conversationId],
  allOpen: [Prefix.open] as RecordKey,
  visitor: (visitorId: string): RecordKey => [Prefix.visitor, visitorId],
  allVisitors: [Prefix.visitor] as RecordKey,
  settings: [Prefix.settings, 'workspace'] as RecordKey,
  /** The key that signs visitor ids (actors/workspace/visitor-ids.ts). */
  visitorIdKey: [Prefix.secret, 'visitor-id'] as RecordKey,
  routing: (conversationId: string): RecordKey => [Prefix.routing, conversationId],
  decision: (conversationId: string, n: number): RecordKey => [Prefix.decision, conversationId, n],
  decisions: (conversationId: string): RecordKey => [Prefix.decision, conversationId],
  agentStats: (staffId: string): RecordKey => [Prefix.agentStats, staffId],
  note: (conversationId: string, n: number): RecordKey => [Prefix.note, conversationId, n],
  notes: (conversationId: string): RecordKey => [Prefix.note, conversationId],
  transfer: (conversationId: string, n: number): RecordKey => [Prefix.transfer, conversationId, n],
  transfers: (conversationId: string): RecordKey => [Prefix.transfer, conversationId],
  transferCount: (staffId: string): RecordKey => [Prefix.transferCount, staffId],
  loan: (agentId: string, department: string): RecordKey => [Prefix.loan, agentId, department],
  loanPrefix: (agentId: string): RecordKey => [Prefix.loan, agentId],
  rating: (conversationId: string): RecordKey => [Prefix.rating, conversationId],
  /** MON-1: a department's counts of the day (actors/floor/records.ts). */
  departmentDay: (departmentId: string): RecordKey => [Prefix.departmentDay, departmentId],
  allDepartmentDays: [Prefix.departmentDay] as RecordKey,
  /** seq of a message by its sender-scoped client message id (idempotent sends, OPS-2). */
  clientMsg: (conversationId: string, senderKey: string): RecordKey => [Prefix.clientMsg, conversationId, senderKey],
  clientMsgs: (conversationId: string): RecordKey => [Prefix.clientMsg, conversationId],
  /** CUST-3: a customer's profile. */
  customer: (customerId: string): RecordKey => [Prefix.customer, customerId],
  /** CUST-1: customer id by the verified external id. */
  customerByExternalId: (externalId: string): RecordKey => [Prefix.customerByExternalId, externalId],
  /** CUST-1: a visitor's link to its customer and where it was last seen. */
  visitorLink: (visitorId: string): RecordKey => [Prefix.visitorLink, visitorId],
  /** CUST-1: visitors by remote address, most recently seen first (the key holds MAX_SAFE_INTEGER - seenAt). */
  ipVisitor: (ip: string, seenAt: number, visitorId: string): RecordKey => [
    Prefix.ipVisitor,
    ip,
    Number.MAX_SAFE_INTEGER - seenAt,
    visitorId,
  ],
  ipVisitors: (ip: string): RecordKey => [Prefix.ipVisitor, ip],
  /** CUST-2: a customer's conversations, newest first (the key holds MAX_SAFE_INTEGER - createdAt); value CustomerConversationIndex. */
  customerConversation: (customerId: string, createdAt: number, conversationId: string): RecordKey => [
    Prefix.customerConversation,
    customerId,
    Number.MAX_SAFE_INTEGER - createdAt,
    conversationId,
  ],
  customerConversations: (customerId: string): RecordKey => [Prefix.customerConversation, customerId],
  /** CONV-2: one read mark per conversation and side. */
  readMark: (conversationId: string, side: Side): RecordKey => [Prefix.readMark, conversationId, side],
  readMarks: (conversationId: string): RecordKey => [Prefix.readMark, conversationId],
  /** CONV-3: workspace snippets under ['canned', 'workspace'], each owner's personal ones under ['canned', 'personal', owner]. */
  canned: (r: { id: string; scope: CannedScope; owner?: string }): RecordKey =>
    r.scope === 'workspace' ? [Prefix.canned, 'workspace', r.id] : [Prefix.canned, 'personal', r.owner ?? '', r.id],
  cannedWorkspace: [Prefix.canned, 'workspace'] as RecordKey,
  cannedPersonal: (owner: string): RecordKey => [Prefix.canned, 'personal', owner],
  allCanned: [Prefix.canned] as RecordKey,
  /** CONV-1: an uploaded file's metadata (FileRecord), and its bytes. */
  file: (id: string): RecordKey => [Prefix.file, id],
  fileData: (id: string): RecordKey => [Prefix.fileData, id],
  /** WEB-3: a conversation the agent served when it was resolved, newest first (MAX_SAFE_INTEGER - at); value ResolvedByRecord. */
  resolvedBy: (staffId: string, at: number, conversationId: string): RecordKey => [
    Prefix.resolvedBy,
    staffId,
    Number.MAX_SAFE_INTEGER - at,
    conversationId,
  ],
  resolvedByStaff: (staffId: string): RecordKey => [Prefix.resolvedBy, staffId],
  /** ROLE-5: one audit log entry (actors/audit.ts); ids sort in the order they were written. */
  audit: (id: string): RecordKey => [Prefix.audit, id],
  allAudit: [Prefix.audit] as RecordKey,
  /** MON-2: the sums of one hour (its start, ms) × department × agent ('' for none); value RollupSums. */
  reportHour: (hourStart: number, department: string, agent: string): RecordKey => [
    Prefix.reportHour,
    hourStart,
    department,
    agent,
  ],
  reportHours: (hourStart: number): RecordKey => [Prefix.reportHour, hourStart],
  allReportHours: [Prefix.reportHour] as RecordKey,
  /** MON-2: what the reports know of one conversation (src/reports/conversation-track.ts), also its export row. */
  reportConversation: (conversationId: string): RecordKey => [Prefix.reportConversation, conversationId],
  allReportConversations: [Prefix.reportConversation] as RecordKey,
  /** MON-2: conversations by creation hour and time, for the export of a range (read an hour at a time). */
  reportCreated: (hourStart: number, createdAt: number, conversationId: string): RecordKey => [
    Prefix.reportCreated,
    hourStart,
    createdAt,
    conversationId,
  ],
  reportCreatedHour: (hourStart: number): RecordKey => [Prefix.reportCreated, hourStart],
  allReportCreated: [Prefix.reportCreated] as RecordKey,
  /** MON-2: present once the rollups hold the whole journal (a rebuild runs when it is missing). */
  reportMeta: [Prefix.reportMeta, 'rollups'] as RecordKey,
  /** MON-2: the latest event time the reports wrote (to the minute): an agent online at a crash was online until then. */
  reportAlive: [Prefix.reportMeta, 'alive'] as RecordKey,
  /** MON-2: an agent's presence as last journaled (src/reports/presence-track.ts). */
  reportPresence: (agentId: string): RecordKey => [Prefix.reportPresence, agentId],
  allReportPresence: [Prefix.reportPresence] as RecordKey,
  /** MON-2: the rollups of a whole UTC day or month summed (src/reports/period-rollups.ts); value PeriodAggregate. */
  reportPeriod: (kind: 'day' | 'month', start: number): RecordKey => [Prefix.reportPeriod, kind, start],
  allReportPeriods: [Prefix.reportPeriod] as RecordKey,
  /** MON-2: that a day or month is kept (read at start without reading the aggregates); value the time it was summed. */
  reportPeriodMark: (kind: 'day' | 'month', start: number): RecordKey => [Prefix.reportPeriodMark, kind, start],
  allReportPeriodMarks: [Prefix.reportPeriodMark] as RecordKey,
} as const;
