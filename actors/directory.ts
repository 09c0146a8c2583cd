/**
 * Knows where every actor is, spawns them, and rebuilds the live tree at
 * start from the store: departments and their queues (queued conversations in
 * ticket order), agents with the conversations assigned to them, and the
 * visitor directory. Conversation actors are spawned on demand and recover
 * their own state from their journal.
 */
import type { Clock } from './clock.js';
import type { Journal } from './journal.js';
import type { Log } from './log.js';
import type { Notifier } from './notifier.js';
import type { RoutingMetrics } from './metrics.js';
import type { Ref, Runtime } from './runtime.js';
import { workspaceBehavior, type WorkspaceMsg } from './workspace.js';
import { departmentBehavior, type DepartmentMsg } from './department.js';
import { queueBehavior, type QueueEntry, type QueueMsg } from './queue.js';
import { agentBehavior, type AgentMsg, type AgentProfile } from './agent.js';
import { conversationBehavior, type ConversationMsg, type ConversationPorts, type SettingsSnapshot } from './conversation/index.js';
import { customersBehavior, type CustomersMsg } from './customers.js';
import { cannedRepliesBehavior, type CannedRepliesMsg } from './canned-replies.js';
import { sessionsBehavior, DEFAULT_SESSION_TIMES, type SessionsMsg, type SessionTimes } from './sessions.js';
import { auditBehavior, type AuditMsg } from './audit.js';
import { KeywordMatcher, type KeywordRule } from './routing/keyword-rules.js';
import { Monitor } from './monitor.js';
import {
  Keys,
  conversationStream,
  defaultConversationNeeds,
  defaultWorkspaceSettings,
  DEFAULT_DISCONNECT_GRACE_SEC,
  type DepartmentRecord,
  type OpenConversationRecord,
  type StaffRecord,
  type WorkspaceSettings,
} from './records.js';

export interface Deps {
  runtime: Runtime;
  journal: Journal;
  notifier: Notifier;
  clock: Clock;
  log: Log;
  /** OPS-4: assignments, waits and queue lengths; none when absent (tests, the simulator). */
  metrics?: RoutingMetrics;
}

/** Capacity used when neither the agent nor any of its departments sets one. */
export const DEFAULT_MAX_CONCURRENT = 5;

/** What an agent actor routes by, from its staff record and its departments' defaults. */
function agentProfile(staff: StaffRecord, departments: ReadonlyMap<string, DepartmentRecord>): AgentProfile {
  const defaults = staff.departments.map((d) => departments.get(d)?.defaultMaxConcurrent ?? 0);
  const maxConcurrent = staff.maxConcurrent ?? (defaults.length ? Math.max(...defaults) : DEFAULT_MAX_CONCURRENT);
  return { id: staff.id, name: staff.name, departments: [...staff.departments], maxConcurrent, weight: staff.weight ?? 1, tier: staff.tier ?? 1, skills: staff.skills ?? [] };
}

export class Directory {
  private workspaceRef: Ref<WorkspaceMsg> | undefined;
  private customersRef: Ref<CustomersMsg> | undefined;
  private readonly departments = new Map<string, { ref: Ref<DepartmentMsg>; queue: Ref<QueueMsg>; config: DepartmentRecord }>();
  private readonly agents = new Map<string, Ref<AgentMsg>>();
  private onlineCounter = 0;
  private cannedRepliesRef: Ref<CannedRepliesMsg> | undefined;
  private sessionsRef: Ref<SessionsMsg> | undefined;
  /** ROLE-4: token lifetimes, set before the first sign-in. */
  sessionTimes: SessionTimes = DEFAULT_SESSION_TIMES;
  /** Called once revoked sessions are stored as gone: the gateway closes their connections. */
  onSessionsRevoked: (sessionIds: string[]) => void = () => undefined;
  /** Called once a staff member's stored role or departments changed: their open connections were signed in as someone else. */
  onStaffIdentityChanged: (staffId: string) => void = () => undefined;
  private auditRef: Ref<AuditMsg> | undefined;
  /** ROUTE-1, read by departments when they start; changes reach running ones as messages. */
  autoAssign = defaultWorkspaceSettings.autoAssign;
  /** ROUTE-14, read by agents when a grace period starts. */
  disconnectGraceSec = DEFAULT_DISCONNECT_GRACE_SEC;
  /** ROUTE-7: one automaton for all rules, rebuilt only when they change. */
  keywords = new KeywordMatcher([]);
  /** The stored workspace settings, replaced (never mutated) by the workspace actor once a change is stored. */
  settings: WorkspaceSettings = defaultWorkspaceSettings;
  /** SUP-1: who watches which departments live. */
  readonly monitor: Monitor;

  private constructor(readonly deps: Deps) {
    this.monitor = new Monitor(deps.notifier);
  }

  /** Builds the actor tree from what the store holds. */
  static boot(deps: Deps): Directory {
    const dir = new Directory(deps);
    const { journal } = deps;
    const settings = journal.getRecord<WorkspaceSettings>(Keys.settings) ?? defaultWorkspaceSettings;
    dir.settings = settings;
    dir.autoAssign = settings.autoAssign;
    dir.disconnectGraceSec = settings.disconnectGraceSec ?? DEFAULT_DISCONNECT_GRACE_SEC;
    dir.keywords = new KeywordMatcher(settings.keywordRules ?? []);
    const open = [...journal.records<OpenConversationRecord>(Keys.allOpen)].map((r) => r.value);
    const openByVisitor = new Map(open.map((c) => [c.visitorId, c.id]));
    dir.workspaceRef = deps.runtime.spawn('workspace', 'default', workspaceBehavior(dir, openByVisitor));
    dir.customersRef = deps.runtime.spawn('customers', 'default', customersBehavior(dir));

    const departments = new Map([...journal.records<DepartmentRecord>(Keys.departments)].map(({ value }) => [value.id, value]));
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
      dir.startAgent(staff, departments, active);
    }
    // Conversations that were neither queued nor assigned when the server stopped (or were moving between
    // departments) are routed again, oldest first.
    const unplaced = open.filter((c) => c.status === 'new' || (c.status === 'queued' && c.place === undefined));
    for (const c of unplaced.sort((a, b) => a.createdAt - b.createdAt)) deps.runtime.tell(dir.conversationRef(c.id), { type: 'route' });
    // ROUTE-13, CONV-5: response and inactivity timers run on after a restart, from the times they count from.
    for (const c of open) {
      if (c.status === 'assigned' && (departments.get(c.department)?.responseTimeoutSec || settings.autoCloseAfterMin)) {
        deps.runtime.tell(dir.conversationRef(c.id), { type: 'rearm' });
      }
    }
    deps.log.info({ departments: departments.size, agents: dir.agents.size, openConversations: open.length }, 'actor tree recovered');
    return dir;
  }

  /** A process-wide, strictly increasing number for each time an agent comes online (round robin order). */
  nextOnlineOrder(): number {
    return ++this.onlineCounter;
  }

  get workspace(): Ref<WorkspaceMsg> {
    return this.workspaceRef!;
  }

  /** CUST-1, CUST-3: the one writer of customer records. */
  get customers(): Ref<CustomersMsg> {
    return this.customersRef!;
  }

  /** ROLE-4: the one writer of staff sessions, started on first use. */
  get sessions(): Ref<SessionsMsg> {
    return (this.sessionsRef ??= this.deps.runtime.spawn('sessions', 'default', sessionsBehavior(this.deps, this.sessionTimes, (ids) => this.onSessionsRevoked(ids))));
  }

  /** CONV-3: the one writer of canned replies, started on first use. */
  get cannedReplies(): Ref<CannedRepliesMsg> {
    return (this.cannedRepliesRef ??= this.deps.runtime.spawn('canned-replies', 'default', cannedRepliesBehavior(this.deps)));
  }

  /** ROLE-5: the one writer of the audit log, started on first use. */
  get audit(): Ref<AuditMsg> {
    return (this.auditRef ??= this.deps.runtime.spawn('audit', 'default', auditBehavior(this.deps)));
  }

  department(id: string): Ref<DepartmentMsg> | undefined {
    return this.departments.get(id)?.ref;
  }

  /** A department's current settings; read at the moment of use, so changes apply at once. */
  departmentConfig(id: string): DepartmentRecord | undefined {
    return this.departments.get(id)?.config;
  }

  /** Called by the workspace once changed settings are stored. */
  configureDepartment(d: DepartmentRecord): void {
    const entry = this.departments.get(d.id);
    if (entry) entry.config = d;
  }

  queue(departmentId: string): Ref<QueueMsg> | undefined {
    return this.departments.get(departmentId)?.queue;
  }

  agent(id: string): Ref<AgentMsg> | undefined {
    return this.agents.get(id);
  }

  startDepartment(d: DepartmentRecord, queued: readonly QueueEntry[]): void {
    const { runtime } = this.deps;
    const ref = runtime.spawn('department', d.id, departmentBehavior(this, d.id, queued.length));
    const queue = runtime.spawn('queue', d.id, queueBehavior(this, d.id, queued));
    this.departments.set(d.id, { ref, queue, config: d });
  }

  startAgent(staff: StaffRecord, departments: ReadonlyMap<string, DepartmentRecord>, active: readonly string[]): void {
    const ref = this.deps.runtime.spawn('agent', staff.id, agentBehavior(this, agentProfile(staff, departments), active));
    this.agents.set(staff.id, ref);
  }

  /** A staff member's routing fields changed (or a department's default capacity): their running agent takes them at once. */
  reprofileAgent(staff: StaffRecord, departments: ReadonlyMap<string, DepartmentRecord>): void {
    const ref = this.agents.get(staff.id);
    if (ref) this.deps.runtime.tell(ref, { type: 'reprofile', profile: agentProfile(staff, departments) });
  }

  /** Called by the workspace once new keyword rules are stored (ROUTE-7). */
  setKeywordRules(rules: readonly KeywordRule[]): void {
    this.keywords = new KeywordMatcher(rules);
  }

  /** Switches automatic assignment for every department (ROUTE-1). */
  setAutoAssign(enabled: boolean): void {
    this.autoAssign = enabled;
    for (const { ref } of this.departments.values()) this.deps.runtime.tell(ref, { type: 'autoAssign', enabled });
  }

  /**
   * What conversation actors need (actors/conversation/ports.ts), built
   * once. Settings are handed out as the stored values of the moment, each
   * replaced and never mutated when changed.
   */
  private conversationPortsValue: ConversationPorts | undefined;
  private get conversationPorts(): ConversationPorts {
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
      settings: (): SettingsSnapshot => ({ workspace: dir.settings, keywords: dir.keywords, department: (id) => dir.departmentConfig(id) }),
    };
    return this.conversationPortsValue;
  }

  spawnConversation(id: string): Ref<ConversationMsg> {
    return this.deps.runtime.spawn('conversation', id, conversationBehavior(this.conversationPorts, id));
  }

  /** The running actor of a conversation known to exist; spawned (recovering from its journal) if stopped. */
  conversationRef(id: string): Ref<ConversationMsg> {
    const ref: Ref<ConversationMsg> = { key: `conversation/${id}` };
    return this.deps.runtime.isAlive(ref) ? ref : this.spawnConversation(id);
  }

  /** The conversation's actor if the conversation exists; undefined for unknown ids (nothing is spawned for them). */
  conversation(id: string): Ref<ConversationMsg> | undefined {
    const ref: Ref<ConversationMsg> = { key: `conversation/${id}` };
    if (this.deps.runtime.isAlive(ref)) return ref;
    return this.deps.journal.lastSeq(conversationStream(id)) > 0 ? this.spawnConversation(id) : undefined;
  }
}
