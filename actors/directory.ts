/**
 * The composition root: builds the actor tree and hands each behaviour the
 * narrow ports it declares (workspace/ports.ts, department/ports.ts, ...).
 * Nothing here decides anything; it only knows where every actor is.
 *
 * At start it rebuilds the live tree from the store: departments and their
 * queues (queued conversations in ticket order), agents with the
 * conversations assigned to them, and the visitor directory. Conversation
 * actors are spawned on demand and recover their own state from their
 * journal.
 *
 * The workspace's configuration reaches other actors only as the immutable
 * snapshot it publishes (workspace/snapshot.ts) and as messages; the
 * getters below (settings, keywords, departmentConfig) read that snapshot.
 */
import type { Deps } from './deps.js';
import type { Ref } from './runtime.js';
import { workspaceBehavior } from './workspace/behavior.js';
import type { WorkspaceMsg } from './workspace/messages.js';
import type { WorkspacePorts } from './workspace/ports.js';
import { firstSnapshot, disconnectGraceSec, type WorkspaceSnapshot } from './workspace/snapshot.js';
import { defaultWorkspaceSettings, type WorkspaceSettings } from './workspace/records.js';
import { departmentBehavior } from './department/behavior.js';
import type { DepartmentMsg } from './department/messages.js';
import type { DepartmentPorts } from './department/ports.js';
import type { DepartmentRecord } from './department/records.js';
import { queueBehavior } from './queue/behavior.js';
import type { QueueEntry, QueueMsg } from './queue/messages.js';
import type { QueuePorts } from './queue/ports.js';
import { agentBehavior } from './agent/behavior.js';
import type { AgentMsg } from './agent/messages.js';
import type { AgentPorts } from './agent/ports.js';
import { agentProfile, type AgentProfile } from './agent/profile.js';
import type { StaffRecord } from './agent/records.js';
import {
  conversationBehavior,
  type ConversationMsg,
  type ConversationPorts,
  type SettingsSnapshot,
} from './conversation/index.js';
import { customersBehavior, type CustomersMsg } from './customers.js';
import { cannedRepliesBehavior, type CannedRepliesMsg } from './canned-replies.js';
import { DEFAULT_WORKSPACE } from '../protocol/workspace-scope.js';
import { sessionsBehavior, DEFAULT_SESSION_TIMES, type SessionsMsg, type SessionTimes } from './sessions.js';
import { auditBehavior, type AuditMsg } from './audit.js';
import type { KeywordMatcher } from './routing/keyword-rules.js';
import { defaultConversationNeeds } from './routing/needs.js';
import { Monitor } from './monitor.js';
import { floorBehavior } from './floor/behavior.js';
import type { FloorMsg } from './floor/messages.js';
import { floorPorts } from './floor/ports.js';
import { Keys } from './keyspace.js';
import { conversationStream, type OpenConversationRecord } from './conversation/records.js';

export type { Deps } from './deps.js';
export { DEFAULT_MAX_CONCURRENT } from './agent/profile.js';

export interface BootOptions {
  /** ROLE-4: token lifetimes. */
  sessionTimes?: SessionTimes;
  /** MON-2: the IANA zone whose local days the reports count by default (checked by the caller); UTC when absent. */
  reportTimeZone?: string;
  /** CLUSTER-1: the workspace this tree serves; its tokens and visitor ids carry it (protocol/workspace-scope.ts). */
  workspaceId?: string;
}

export class Directory {
  private workspaceRef: Ref<WorkspaceMsg> | undefined;
  private customersRef: Ref<CustomersMsg> | undefined;
  private readonly departments = new Map<string, { ref: Ref<DepartmentMsg>; queue: Ref<QueueMsg> }>();
  private readonly agents = new Map<string, Ref<AgentMsg>>();
  private onlineCounter = 0;
  private cannedRepliesRef: Ref<CannedRepliesMsg> | undefined;
  private sessionsRef: Ref<SessionsMsg> | undefined;
  private auditRef: Ref<AuditMsg> | undefined;
  private floorRef: Ref<FloorMsg> | undefined;
  /** What the workspace published last. */
  private snapshot: WorkspaceSnapshot = firstSnapshot(defaultWorkspaceSettings, []);
  private readonly sessionTimes: SessionTimes;
  /** Called once revoked sessions are stored as gone: the gateway closes their connections. */
  onSessionsRevoked: (sessionIds: string[]) => void = () => undefined;
  /** Called once a staff member's stored role or departments changed: their open connections were signed in as someone else. */
  onStaffIdentityChanged: (staffId: string) => void = () => undefined;
  /** SUP-1: who watches which departments live. */
  readonly monitor: Monitor;
  /** MON-2: the reports' default time zone. */
  readonly reportTimeZone: string;
  /** CLUSTER-1: the workspace this tree serves. */
  readonly workspaceId: string;

  private constructor(
    readonly deps: Deps,
    options: BootOptions,
  ) {
    this.monitor = new Monitor(deps.notifier, (conversation, event, previousDepartment) =>
      this.tellFloor({
        type: 'conversation',
        conversation,
        event,
        ...(previousDepartment !== undefined ? { previousDepartment } : {}),
      }),
    );
    this.sessionTimes = options.sessionTimes ?? DEFAULT_SESSION_TIMES;
    this.reportTimeZone = options.reportTimeZone ?? 'UTC';
    this.workspaceId = options.workspaceId ?? DEFAULT_WORKSPACE;
  }

  /** Builds the actor tree from what the store holds. */
  static boot(deps: Deps, options: BootOptions = {}): Directory {
    const dir = new Directory(deps, options);
    const { journal, runtime } = deps;
    const open = [...journal.records<OpenConversationRecord>(Keys.allOpen)].map((r) => r.value);
    const openByVisitor = new Map(open.map((c) => [c.visitorId, c.id]));
    // The workspace publishes its first snapshot while it starts: everything below reads it.
    dir.workspaceRef = runtime.spawn('workspace', 'default', workspaceBehavior(dir.workspacePorts(), openByVisitor));
    dir.customersRef = runtime.spawn(
      'customers',
      'default',
      customersBehavior({ journal, clock: deps.clock, log: deps.log, settings: () => dir.snapshot.settings }),
    );

    const departments = dir.snapshot.departments;
    // MON-1: started before the departments and agents, whose first reports it counts.
    dir.floorRef = runtime.spawn(
      'floor',
      'default',
      floorBehavior(
        floorPorts(deps, () => dir.snapshot.departments),
        open,
      ),
    );
    for (const d of departments.values()) {
      const queued: QueueEntry[] = open
        .filter((c) => c.department === d.id && c.status === 'queued' && c.place !== undefined)
        .map((c) => ({
          conversationId: c.id,
          visitorId: c.visitorId,
          place: c.place!,
          needs: c.needs ?? defaultConversationNeeds,
          ...(c.backlog ? { backlog: c.backlog } : {}),
          ...(c.stickyAgent !== undefined ? { stickyAgent: c.stickyAgent } : {}),
          ...(c.exclude?.length ? { exclude: c.exclude } : {}),
        }));
      dir.startDepartment(d, queued);
    }
    for (const { value: staff } of journal.records<StaffRecord>(Keys.allStaff)) {
      const active = open.filter((c) => c.status === 'assigned' && c.agentId === staff.id).map((c) => c.id);
      dir.startAgent(agentProfile(staff, departments), active);
    }
    // Conversations that were neither queued nor assigned when the server stopped (or were moving between
    // departments) are routed again, oldest first.
    const unplaced = open.filter((c) => c.status === 'new' || (c.status === 'queued' && c.place === undefined));
    for (const c of unplaced.sort((a, b) => a.createdAt - b.createdAt))
      runtime.tell(dir.conversationRef(c.id), { type: 'route' });
    // ROUTE-13, CONV-5: response and inactivity timers run on after a restart, from the times they count from.
    for (const c of open) {
      if (
        c.status === 'assigned' &&
        (departments.get(c.department)?.responseTimeoutSec || dir.settings.autoCloseAfterMin)
      ) {
        runtime.tell(dir.conversationRef(c.id), { type: 'rearm' });
      }
    }
    deps.log.info(
      { departments: departments.size, agents: dir.agents.size, openConversations: open.length },
      'actor tree recovered',
    );
    return dir;
  }

  // ---- what callers outside the actors use (the gateway, the HTTP API, the simulator, tests)

  get workspace(): Ref<WorkspaceMsg> {
    return this.workspaceRef!;
  }

  /** CUST-1, CUST-3: the one writer of customer records. */
  get customers(): Ref<CustomersMsg> {
    return this.customersRef!;
  }

  /** ROLE-4: the one writer of staff sessions, started on first use. */
  get sessions(): Ref<SessionsMsg> {
    return (this.sessionsRef ??= this.deps.runtime.spawn(
      'sessions',
      'default',
      sessionsBehavior(this.deps, this.sessionTimes, (ids) => this.onSessionsRevoked(ids), this.workspaceId),
    ));
  }

  /** CONV-3: the one writer of canned replies, started on first use. */
  get cannedReplies(): Ref<CannedRepliesMsg> {
    return (this.cannedRepliesRef ??= this.deps.runtime.spawn(
      'canned-replies',
      'default',
      cannedRepliesBehavior(this.deps),
    ));
  }

  /** ROLE-5: the one writer of the audit log, started on first use. */
  get audit(): Ref<AuditMsg> {
    return (this.auditRef ??= this.deps.runtime.spawn('audit', 'default', auditBehavior(this.deps)));
  }

  /** MON-1: the department monitor. */
  get floor(): Ref<FloorMsg> {
    return this.floorRef!;
  }

  private tellFloor(msg: FloorMsg): void {
    if (this.floorRef) this.deps.runtime.tell(this.floorRef, msg);
  }

  /** The stored workspace settings, as the workspace published them. */
  get settings(): Readonly<WorkspaceSettings> {
    return this.snapshot.settings;
  }

  /** ROUTE-1, as published. */
  get autoAssign(): boolean {
    return this.snapshot.settings.autoAssign;
  }

  /** ROUTE-7: one automaton for all rules, as published. */
  get keywords(): KeywordMatcher {
    return this.snapshot.keywords;
  }

  /** A department's current settings, as published; read at the moment of use, so changes apply at once. */
  departmentConfig(id: string): Readonly<DepartmentRecord> | undefined {
    return this.snapshot.departments.get(id);
  }

  /** Every department's id, in the workspace's order. */
  departmentIds(): string[] {
    return [...this.snapshot.departments.keys()];
  }

  department(id: string): Ref<DepartmentMsg> | undefined {
    return this.departments.get(id)?.ref;
  }

  queue(departmentId: string): Ref<QueueMsg> | undefined {
    return this.departments.get(departmentId)?.queue;
  }

  agent(id: string): Ref<AgentMsg> | undefined {
    return this.agents.get(id);
  }

  /** `fresh`: a new conversation's id, never stored, so its actor starts without reading the store. */
  spawnConversation(id: string, fresh = false): Ref<ConversationMsg> {
    return this.deps.runtime.spawn('conversation', id, conversationBehavior(this.conversationPorts(), id, fresh));
  }

  /** The running actor of a conversation known to exist; spawned (recovering from its journal) if stopped. */
  conversationRef(id: string): Ref<ConversationMsg> {
    return this.deps.runtime.find<ConversationMsg>('conversation', id) ?? this.spawnConversation(id);
  }

  /** The conversation's actor if the conversation exists; undefined for unknown ids (nothing is spawned for them). */
  conversation(id: string): Ref<ConversationMsg> | undefined {
    const running = this.deps.runtime.find<ConversationMsg>('conversation', id);
    if (running) return running;
    return this.deps.journal.lastSeq(conversationStream(id)) > 0 ? this.spawnConversation(id) : undefined;
  }

  // ---- the ports each behaviour declares

  private workspacePorts(): WorkspacePorts {
    const { journal, log, runtime } = this.deps;
    return {
      journal,
      log,
      workspaceId: this.workspaceId,
      publish: (snapshot) => {
        this.snapshot = snapshot;
      },
      autoAssignChanged: (enabled) => {
        for (const { ref } of this.departments.values()) runtime.tell(ref, { type: 'autoAssign', enabled });
      },
      startDepartment: (d) => this.startDepartment(d, []),
      startAgent: (profile) => this.startAgent(profile, []),
      reprofileAgent: (profile) => {
        const ref = this.agents.get(profile.id);
        if (ref) runtime.tell(ref, { type: 'reprofile', profile });
      },
      staffIdentityChanged: (staffId) => this.onStaffIdentityChanged(staffId),
      openConversation: (id, opening) => runtime.tell(this.spawnConversation(id, true), { type: 'create', ...opening }),
      rearmConversation: (id) => runtime.tell(this.conversationRef(id), { type: 'rearm' }),
    };
  }

  /**
   * What conversation actors need (actors/conversation/ports.ts), built
   * once. Settings are handed out as the snapshot the workspace published
   * last, replaced and never mutated when changed.
   */
  private conversationPortsValue: ConversationPorts | undefined;
  private conversationPorts(): ConversationPorts {
    if (this.conversationPortsValue) return this.conversationPortsValue;
    const dir = this;
    const { journal, notifier, clock, log, runtime } = this.deps;
    this.conversationPortsValue = {
      journal,
      notifier,
      clock,
      log,
      runtime,
      agent: (id) => dir.agent(id),
      department: (id) => dir.department(id),
      queue: (id) => dir.queue(id),
      get workspace() {
        return dir.workspace;
      },
      get customers() {
        return dir.customers;
      },
      monitor: this.monitor,
      settings: (): SettingsSnapshot => {
        const { settings, keywords, departments } = dir.snapshot;
        return { workspace: settings, keywords, department: (id) => departments.get(id) };
      },
    };
    return this.conversationPortsValue;
  }

  private startDepartment(d: DepartmentRecord, queued: readonly QueueEntry[]): void {
    const { runtime, clock, log, metrics, notifier } = this.deps;
    const id = d.id;
    const config = (): DepartmentRecord | undefined => this.snapshot.departments.get(id);
    const departmentPorts: DepartmentPorts = {
      runtime,
      clock,
      log,
      ...(metrics ? { metrics } : {}),
      config,
      autoAssign: () => this.snapshot.settings.autoAssign,
      agent: (agentId) => this.agents.get(agentId),
      queue: () => this.departments.get(id)?.queue,
      decided: (conversationId, record) =>
        runtime.tell(this.conversationRef(conversationId), { type: 'decided', record }),
      assigned: (conversationId, assignment) =>
        runtime.tell(this.conversationRef(conversationId), { type: 'assign', ...assignment }),
      excluded: (conversationId, agentId) =>
        runtime.tell(this.conversationRef(conversationId), { type: 'exclude', agentId }),
    };
    const queuePorts: QueuePorts = {
      runtime,
      clock,
      notifier,
      ...(metrics ? { metrics } : {}),
      config,
      department: (departmentId) => this.department(departmentId),
      queued: (conversationId, queued) =>
        runtime.tell(this.conversationRef(conversationId), { type: 'queued', ...queued }),
      overflow: (conversationId, from, to) =>
        runtime.tell(this.conversationRef(conversationId), { type: 'overflow', from, to }),
      report: (report) => this.tellFloor({ type: 'queue', report }),
    };
    const ref = runtime.spawn('department', id, departmentBehavior(departmentPorts, id, queued.length));
    const queue = runtime.spawn('queue', id, queueBehavior(queuePorts, id, queued));
    this.departments.set(id, { ref, queue });
  }

  private startAgent(profile: AgentProfile, active: readonly string[]): void {
    const { runtime, journal, notifier, clock, log } = this.deps;
    const ports: AgentPorts = {
      runtime,
      journal,
      notifier,
      clock,
      log,
      department: (id) => this.department(id),
      agentGone: (conversationId, agentId) =>
        runtime.tell(this.conversationRef(conversationId), { type: 'agentGone', agentId }),
      nextOnlineOrder: () => ++this.onlineCounter,
      disconnectGraceSec: () => disconnectGraceSec(this.snapshot),
      report: (report) => this.tellFloor({ type: 'agent', report }),
      transferLimit: (role) => this.snapshot.settings.transferLimits?.[role],
    };
    this.agents.set(profile.id, runtime.spawn('agent', profile.id, agentBehavior(ports, profile, active)));
  }
}
