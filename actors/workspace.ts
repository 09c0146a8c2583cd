/**
 * Workspace actor: one company's directory. It owns the department and staff
 * configuration and the visitor directory (which visitor has which open
 * conversation), so that opening a conversation is decided in one place and a
 * visitor who double-clicks "start" gets one conversation, not two. Chat
 * traffic never passes through it: clients talk to conversation actors
 * directly.
 */
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../protocol/errors.js';
import type { Behavior, Ref, Reply } from './runtime.js';
import type { Directory } from './directory.js';
import type { SendResult } from './conversation/index.js';
import type { Caller } from './notifier.js';
import type { RecordWrite } from './journal.js';
import { issueVisitorId, isVisitorId, newVisitorIdKey } from './visitor-ids.js';
import {
  Keys,
  defaultConversationNeeds,
  defaultWorkspaceSettings,
  type WorkspaceSettings,
  type DepartmentRecord,
  type OpenConversationRecord,
  type RoutingRecord,
  type StaffRecord,
  type VerificationSettings,
  type StaffRole,
  type VisitorRecord,
} from './records.js';
import type { KeywordRule } from './routing/keyword-rules.js';
import type { PolicyName } from './routing/decision.js';
import { clampPriority } from './routing/queue-order.js';
import { validateBusinessHours } from './routing/business-hours.js';
import { isVipVisitor } from './customer-view.js';
import { LANGUAGES, invalidAutoMessages } from './auto-messages.js';
import type { Language } from '../protocol/frames.js';

export interface HelloResult {
  visitorId: string;
  /** The visitor's open conversation, if any. */
  conversationId?: string;
  /** The visitor's most recent conversation when none is open (its history can be resumed). */
  lastConversationId?: string;
}

/** Department settings that can change while it runs; `null` removes a setting. */
export type DepartmentSettings = {
  [K in Exclude<keyof DepartmentRecord, 'id' | 'order'>]?: K extends 'name' | 'defaultMaxConcurrent' ? DepartmentRecord[K] : DepartmentRecord[K] | null;
};

export type StaffIdentity = Pick<StaffRecord, 'id' | 'name' | 'email' | 'role' | 'departments'>;

export type WorkspaceMsg =
  | { type: 'hello'; visitorId?: string; reply: Reply<HelloResult> }
  | { type: 'start'; caller: Caller; department?: string; text?: string; clientMsgId?: string; language?: Language; reply: Reply<SendResult & { created: boolean }> }
  | { type: 'conversationClosed'; visitorId: string; conversationId: string }
  /** The create of a visitor's new conversation ended: committed, or refused by the store. */
  | { type: 'conversationCreated'; visitorId: string; conversationId: string; stored: boolean }
  /** Looks a staff member up by token hash or email; the caller verifies any password outside the actor. */
  | { type: 'findStaff'; by: { email: string } | { id: string }; reply: Reply<StaffRecord> }
  /** Whether this server issued the visitor id (HTTP callers present it as their credential, CONV-1). */
  | { type: 'verifyVisitor'; visitorId: string; reply: Reply<boolean> }
  | { type: 'createDepartment'; department: Omit<DepartmentRecord, 'order'>; reply: Reply<DepartmentRecord> }
  | { type: 'createStaff'; staff: StaffRecord; reply: Reply<StaffIdentity> }
  | { type: 'setAutoAssign'; enabled: boolean; reply: Reply<WorkspaceSettings> }
  /** ROUTE-7: replaces the ordered keyword rules. */
  | { type: 'setKeywordRules'; rules: KeywordRule[]; reply: Reply<WorkspaceSettings> }
  /** CUST-1: sets (null: removes) the secret that verified logins are signed with. */
  | { type: 'setVerification'; verification: VerificationSettings | null; reply: Reply<WorkspaceSettings> }
  | { type: 'configureDepartment'; id: string; changes: DepartmentSettings; reply: Reply<DepartmentRecord> }
  /** Workspace-wide settings of conversations and transfers (XFER-2, XFER-5, CONV-4, CONV-5); `null` removes one. */
  | { type: 'configureWorkspace'; changes: WorkspaceConversationSettings; reply: Reply<WorkspaceSettings> }
  /** XFER-7: a resolved conversation wants to open again; refused if the visitor has another open one. */
  | { type: 'reopen'; visitorId: string; conversationId: string; reply: Reply<{ conversationId: string }> }
  /** ROLE-3: changes a staff account; routing fields reach the running agent actor at once. */
  | { type: 'configureStaff'; id: string; changes: StaffChanges; reply: Reply<{ before: StaffRecord; after: StaffRecord }> }
  /** ROLE-2: the supervisors who lead a department: exactly these supervisors get it among their departments. */
  | { type: 'setSupervisors'; department: string; staffIds: string[]; reply: Reply<{ before: string[]; after: string[] }> };

/** What configureStaff changes; `null` removes a setting (back to the default). */
export type StaffChanges = {
  [K in 'name' | 'email' | 'role' | 'departments' | 'passwordHash']?: StaffRecord[K];
} & {
  [K in 'maxConcurrent' | 'weight' | 'tier' | 'skills' | 'crossDepartmentTransfer']?: StaffRecord[K] | null;
};

/** The supervisors leading a department (ROLE-2): supervisors with it among their departments. */
export const supervisorsOf = (staff: Iterable<StaffRecord>, department: string): string[] =>
  [...staff].filter((st) => st.role === 'supervisor' && st.departments.includes(department)).map((st) => st.id);

/** The settings configureWorkspace changes; `null` removes a setting. */
export type WorkspaceConversationSettings = {
  [K in 'tags' | 'transferLimits' | 'autoCloseAfterMin' | 'defaultLanguage' | 'autoMessages']?: WorkspaceSettings[K] | null;
};

interface State {
  visitorIdKey: Buffer;
  departments: Map<string, DepartmentRecord>;
  staff: Map<string, StaffRecord>;
  /** visitorId → open conversation id. Visitors without an open conversation live only in the store. */
  openByVisitor: Map<string, string>;
  /**
   * Conversations whose create has not committed yet, with the hellos and
   * repeated starts waiting on it: nobody is told of a conversation before it
   * is on disk.
   */
  creating: Map<string, ((stored: boolean) => void)[]>;
}

/** The department created first: the same one before and after a restart. */
const firstDepartment = (s: State): string | undefined =>
  [...s.departments.values()].reduce<DepartmentRecord | undefined>((a, d) => (a === undefined || d.order < a.order ? d : a), undefined)?.id;

/** CUST-1: a shorter secret could be guessed offline from one signed login. */
export const MIN_VERIFICATION_SECRET_LENGTH = 32;

const POLICIES: readonly string[] = ['round_robin', 'least_load', 'weighted_round_robin', 'smart'] satisfies PolicyName[];

/** Settings that would break routing are refused before they are stored. */
function invalidDepartment(d: DepartmentRecord, s: State): ProtocolError | undefined {
  const positive = (v: number | undefined): boolean => v === undefined || (Number.isFinite(v) && v > 0);
  if (d.policy !== undefined && !POLICIES.includes(d.policy)) return new ProtocolError('invalid_field', `policy is one of ${POLICIES.join(', ')}`, 'policy');
  if (d.offerMode !== undefined && d.offerMode !== 'auto' && d.offerMode !== 'offer') return new ProtocolError('invalid_field', 'offerMode is auto or offer', 'offerMode');
  for (const [k, v] of Object.entries(d.loadIndexWeights ?? {})) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) return new ProtocolError('invalid_field', 'weights are numbers, 0 or more', `loadIndexWeights/${k}`);
  }
  if (!positive(d.responseTimeoutSec)) return new ProtocolError('invalid_field', 'must be a positive number of seconds', 'responseTimeoutSec');
  if (!positive(d.offerTimeoutSec)) return new ProtocolError('invalid_field', 'must be a positive number of seconds', 'offerTimeoutSec');
  if (d.stickyWaitSec !== undefined && !(d.stickyWaitSec >= 0)) return new ProtocolError('invalid_field', 'must be 0 or more seconds', 'stickyWaitSec');
  if (d.maxQueueLength !== undefined && !(Number.isInteger(d.maxQueueLength) && d.maxQueueLength >= 0)) {
    return new ProtocolError('invalid_field', 'must be a whole number, 0 or more', 'maxQueueLength');
  }
  if (d.fairnessCap && !(d.fairnessCap.max >= 1 && d.fairnessCap.windowSec > 0)) return new ProtocolError('invalid_field', 'max ≥ 1 and windowSec > 0', 'fairnessCap');
  const to = d.widening?.overflowTo;
  if (to !== undefined && (to === d.id || !s.departments.has(to))) return new ProtocolError('invalid_field', `no other department "${to}"`, 'widening.overflowTo');
  if (to !== undefined && d.widening?.overflowAfterSec === undefined) return new ProtocolError('invalid_field', 'overflow needs overflowAfterSec', 'widening.overflowAfterSec');
  if (d.parent !== undefined && !s.departments.has(d.parent)) return new ProtocolError('invalid_field', `no department "${d.parent}"`, 'parent');
  // A department may not sit under itself, however far up.
  for (let up = d.parent, steps = 0; up !== undefined; up = s.departments.get(up)?.parent, steps++) {
    if (up === d.id || steps > s.departments.size) return new ProtocolError('invalid_field', 'a department cannot sit under itself', 'parent');
  }
  if (d.hours) {
    const problem = validateBusinessHours(d.hours);
    if (problem) return new ProtocolError('invalid_field', problem, 'hours');
  }
  return undefined;
}

const ROLES: readonly StaffRole[] = ['agent', 'supervisor', 'admin'];

/** A staff account that names unknown departments or another account's email is refused before it is stored. */
function invalidStaff(st: StaffRecord, s: State): ProtocolError | undefined {
  const unknownDept = st.departments.find((d) => !s.departments.has(d));
  if (unknownDept) return new ProtocolError('not_found', `no department "${unknownDept}"`, 'departments');
  for (const other of s.staff.values()) {
    if (other.id !== st.id && other.email.toLowerCase() === st.email.toLowerCase()) return new ProtocolError('conflict', 'another staff member has this email', 'email');
  }
  return undefined;
}

/** Workspace settings that would break conversations are refused before they are stored. */
function invalidWorkspace(w: WorkspaceSettings): ProtocolError | undefined {
  if (w.tags !== undefined) {
    if (!Array.isArray(w.tags) || w.tags.length > 200) return new ProtocolError('invalid_field', 'at most 200 tags', 'tags');
    for (const [i, t] of w.tags.entries()) {
      if (typeof t !== 'string' || t.trim() === '' || t.length > 64) return new ProtocolError('invalid_field', 'a tag is 1 to 64 characters', `tags.${i}`);
    }
    if (new Set(w.tags).size !== w.tags.length) return new ProtocolError('invalid_field', 'tags must be unique', 'tags');
  }
  for (const [role, limit] of Object.entries(w.transferLimits ?? {})) {
    if (!(ROLES as readonly string[]).includes(role)) return new ProtocolError('invalid_field', `role is one of ${ROLES.join(', ')}`, `transferLimits.${role}`);
    if (!(Number.isInteger(limit) && limit >= 0)) return new ProtocolError('invalid_field', 'a whole number of transfers per day, 0 or more', `transferLimits.${role}`);
  }
  if (w.autoCloseAfterMin !== undefined && !(Number.isFinite(w.autoCloseAfterMin) && w.autoCloseAfterMin > 0)) {
    return new ProtocolError('invalid_field', 'a positive number of minutes', 'autoCloseAfterMin');
  }
  if (w.defaultLanguage !== undefined && !(LANGUAGES as readonly string[]).includes(w.defaultLanguage)) {
    return new ProtocolError('invalid_field', `language is one of ${LANGUAGES.join(', ')}`, 'defaultLanguage');
  }
  const auto = invalidAutoMessages(w.autoMessages);
  if (auto) return new ProtocolError('invalid_field', auto.message, auto.field);
  return undefined;
}

/** ROLE-4: whether two views of a staff member differ in what their rights were decided by at sign-in. */
export const rightsDiffer = (a: Pick<StaffRecord, 'role' | 'departments'>, b: Pick<StaffRecord, 'role' | 'departments'>): boolean =>
  a.role !== b.role || a.departments.length !== b.departments.length || a.departments.some((d, i) => d !== b.departments[i]);

export const identity = (s: StaffRecord): StaffIdentity => ({ id: s.id, name: s.name, email: s.email, role: s.role, departments: [...s.departments] });

export function workspaceBehavior(dir: Directory, openByVisitor: ReadonlyMap<string, string>): Behavior<State, WorkspaceMsg> {
  const { journal, log } = dir.deps;

  /**
   * Stores configuration records, then applies the change and answers with
   * `stored()`; if the store refuses them, `undo` takes back what was set in
   * memory ahead of the write, and the caller gets storage_failed.
   */
  const store = <R>(writes: RecordWrite[], what: string, reply: Reply<R>, stored: () => R, undo?: () => void): void => {
    journal.writeRecords(writes).then(
      () => reply(stored()),
      (err: unknown) => {
        undo?.();
        log.error({ err }, `${what} not stored`);
        reply(new ProtocolError('storage_failed', `${what} not stored`));
      },
    );
  };

  const loadVisitorIdKey = (): Buffer => {
    const stored = journal.getRecord<Uint8Array>(Keys.visitorIdKey);
    if (stored) return Buffer.from(stored);
    const key = newVisitorIdKey();
    // Written before the gateway listens (boot precedes it), so no id is issued under an unsaved key.
    journal.writeRecords([{ key: Keys.visitorIdKey, value: key }]).catch((err: unknown) => log.error({ err }, 'visitor id key not stored'));
    return key;
  };
  return {
    init: () => ({
      visitorIdKey: loadVisitorIdKey(),
      departments: new Map([...journal.records<DepartmentRecord>(Keys.departments)].map(({ value }) => [value.id, value])),
      staff: new Map([...journal.records<StaffRecord>(Keys.allStaff)].map(({ value }) => [value.id, value])),
      openByVisitor: new Map(openByVisitor),
      creating: new Map(),
    }),
    receive(s, msg) {
      switch (msg.type) {
        case 'hello': {
          if (msg.visitorId !== undefined && !isVisitorId(s.visitorIdKey, msg.visitorId)) {
            return msg.reply(new ProtocolError('invalid_field', 'unknown visitor id: omit it to be issued a new one', 'visitorId'));
          }
          const visitorId = msg.visitorId ?? issueVisitorId(s.visitorIdKey);
          const answer = (): void => {
            const conversationId = s.openByVisitor.get(visitorId);
            if (conversationId) return msg.reply({ visitorId, conversationId });
            const last = journal.getRecord<VisitorRecord>(Keys.visitor(visitorId))?.lastConversationId;
            msg.reply(last ? { visitorId, lastConversationId: last } : { visitorId });
          };
          const open = s.openByVisitor.get(visitorId);
          const waiting = open ? s.creating.get(open) : undefined;
          if (waiting) waiting.push(answer);
          else answer();
          return;
        }
        case 'start': {
          const open = s.openByVisitor.get(msg.caller.id);
          if (open) {
            // One open conversation per visitor: a repeated start (a retry, a second tab) gets the same one,
            // once it is stored.
            const answer = (stored: boolean): void =>
              msg.reply(stored ? { conversationId: open, seq: 0, messageId: '', duplicate: true, created: false } : new ProtocolError('storage_failed', 'conversation not stored; retry'));
            const waiting = s.creating.get(open);
            if (waiting) waiting.push(answer);
            else answer(true);
            return;
          }
          const entry = msg.department ?? firstDepartment(s);
          if (entry === undefined || !s.departments.has(entry)) {
            return msg.reply(new ProtocolError('not_found', `no department "${msg.department ?? ''}"`, 'department'));
          }
          // ROUTE-8: the widget's entry point holds unless a keyword rule of the first message names another department (ROUTE-7).
          const outcome = msg.text !== undefined ? dir.keywords.match(msg.text, true) : { matches: [] };
          const department = outcome.department !== undefined && s.departments.has(outcome.department) ? outcome.department : entry;
          const routing: RoutingRecord = {
            ...(msg.department !== undefined ? { entry: msg.department } : {}),
            department,
            // The first message is seq 2, right after `created`.
            matches: outcome.matches.map((m) => ({ ...m, seq: 2 })),
            needs: {
              ...defaultConversationNeeds,
              ...(outcome.skills ? { skills: [...outcome.skills] } : {}),
              ...(outcome.tier !== undefined ? { tier: outcome.tier } : {}),
              ...(outcome.priority !== undefined ? { priority: clampPriority(outcome.priority) } : {}),
              // CUST-3: the profile's flag as it is now; later edits change later conversations only.
              vip: isVipVisitor(journal, msg.caller.id),
            },
            ...(msg.text !== undefined ? { firstMessageSeen: true } : {}),
          };
          const conversationId = `c-${randomUUID()}`;
          s.openByVisitor.set(msg.caller.id, conversationId);
          s.creating.set(conversationId, []);
          const conv = dir.spawnConversation(conversationId);
          dir.deps.runtime.tell(conv, {
            type: 'create',
            caller: msg.caller,
            department,
            routing,
            ...(msg.text !== undefined ? { text: msg.text } : {}),
            ...(msg.clientMsgId !== undefined ? { clientMsgId: msg.clientMsgId } : {}),
            ...(msg.language !== undefined ? { language: msg.language } : {}),
            // The conversation reports its create's outcome to the workspace itself (conversationCreated).
            reply: (r) => msg.reply(r instanceof ProtocolError ? r : { ...r, created: true }),
          });
          return;
        }
        case 'conversationCreated': {
          const waiting = s.creating.get(msg.conversationId) ?? [];
          s.creating.delete(msg.conversationId);
          // Not stored: forget it, so that the next start tries again.
          if (!msg.stored && s.openByVisitor.get(msg.visitorId) === msg.conversationId) s.openByVisitor.delete(msg.visitorId);
          for (const w of waiting) w(msg.stored);
          return;
        }
        case 'conversationClosed':
          if (s.openByVisitor.get(msg.visitorId) === msg.conversationId) s.openByVisitor.delete(msg.visitorId);
          return;
        case 'findStaff': {
          const by = msg.by;
          let found: StaffRecord | undefined;
          if ('id' in by) found = s.staff.get(by.id);
          else {
            for (const st of s.staff.values()) {
              if (st.email.toLowerCase() === by.email.toLowerCase()) found = st;
            }
          }
          msg.reply(found ?? new ProtocolError('unauthorized', 'unknown or wrong credentials'));
          return;
        }
        case 'verifyVisitor':
          msg.reply(isVisitorId(s.visitorIdKey, msg.visitorId));
          return;
        case 'createDepartment': {
          if (s.departments.has(msg.department.id)) return msg.reply(new ProtocolError('conflict', 'department exists', 'id'));
          const order = Math.max(0, ...[...s.departments.values()].map((d) => d.order)) + 1;
          const department: DepartmentRecord = { ...msg.department, order };
          const invalid = invalidDepartment(department, s);
          if (invalid) return msg.reply(invalid);
          s.departments.set(department.id, department);
          store([{ key: Keys.department(department.id), value: department }], 'department', msg.reply, () => {
            dir.startDepartment(department, []);
            return department;
          }, () => s.departments.delete(department.id));
          return;
        }
        case 'configureDepartment': {
          const current = s.departments.get(msg.id);
          if (!current) return msg.reply(new ProtocolError('not_found', `no department "${msg.id}"`, 'id'));
          const next = { ...current } as Record<string, unknown>;
          for (const [k, v] of Object.entries(msg.changes)) {
            if (v === null) delete next[k];
            else if (v !== undefined) next[k] = v;
          }
          const invalid = invalidDepartment(next as unknown as DepartmentRecord, s);
          if (invalid) return msg.reply(invalid);
          const stored = next as unknown as DepartmentRecord;
          store([{ key: Keys.department(stored.id), value: stored }], 'department settings', msg.reply, () => {
            s.departments.set(stored.id, stored);
            dir.configureDepartment(stored);
            // Members without their own capacity take the departments' default: it applies now, not at the next start.
            if (stored.defaultMaxConcurrent !== current.defaultMaxConcurrent) {
              for (const st of s.staff.values()) if (st.departments.includes(stored.id)) dir.reprofileAgent(st, s.departments);
            }
            return stored;
          });
          return;
        }
        case 'setAutoAssign': {
          // The other settings stay as stored.
          const settings: WorkspaceSettings = { ...(journal.getRecord<WorkspaceSettings>(Keys.settings) ?? defaultWorkspaceSettings), autoAssign: msg.enabled };
          store([{ key: Keys.settings, value: settings }], 'workspace settings', msg.reply, () => {
            dir.settings = settings;
            dir.setAutoAssign(msg.enabled);
            return settings;
          });
          return;
        }
        case 'setKeywordRules': {
          const ids = new Set<string>();
          for (const [i, rule] of msg.rules.entries()) {
            if (ids.has(rule.id)) return msg.reply(new ProtocolError('invalid_field', `duplicate rule id "${rule.id}"`, `rules/${i}/id`));
            ids.add(rule.id);
            if (rule.department !== undefined && !s.departments.has(rule.department)) {
              return msg.reply(new ProtocolError('not_found', `no department "${rule.department}"`, `rules/${i}/department`));
            }
            if (rule.keywords.every((k) => k.trim() === '')) return msg.reply(new ProtocolError('invalid_field', 'a rule needs a keyword', `rules/${i}/keywords`));
          }
          const settings: WorkspaceSettings = { ...(journal.getRecord<WorkspaceSettings>(Keys.settings) ?? defaultWorkspaceSettings), keywordRules: msg.rules };
          store([{ key: Keys.settings, value: settings }], 'keyword rules', msg.reply, () => {
            dir.settings = settings;
            dir.setKeywordRules(msg.rules);
            return settings;
          });
          return;
        }
        case 'setVerification': {
          const v = msg.verification;
          if (v && v.secret.length < MIN_VERIFICATION_SECRET_LENGTH) {
            return msg.reply(new ProtocolError('invalid_field', `the secret needs at least ${MIN_VERIFICATION_SECRET_LENGTH} characters`, 'secret'));
          }
          // The other settings stay as stored.
          const settings: WorkspaceSettings = { ...(journal.getRecord<WorkspaceSettings>(Keys.settings) ?? defaultWorkspaceSettings) };
          if (v) settings.verification = { secret: v.secret, required: v.required };
          else delete settings.verification;
          store([{ key: Keys.settings, value: settings }], 'verification settings', msg.reply, () => {
            dir.settings = settings;
            return settings;
          });
          return;
        }
        case 'configureWorkspace': {
          const next = { ...(journal.getRecord<WorkspaceSettings>(Keys.settings) ?? defaultWorkspaceSettings) } as Record<string, unknown>;
          for (const [k, v] of Object.entries(msg.changes)) {
            if (v === null) delete next[k];
            else if (v !== undefined) next[k] = v;
          }
          const settings = next as unknown as WorkspaceSettings;
          const invalid = invalidWorkspace(settings);
          if (invalid) return msg.reply(invalid);
          const autoCloseBefore = dir.settings.autoCloseAfterMin;
          store([{ key: Keys.settings, value: settings }], 'workspace settings', msg.reply, () => {
            dir.settings = settings;
            // CONV-5: conversations assigned already count by the new setting, as they would after a restart.
            if (settings.autoCloseAfterMin !== autoCloseBefore) {
              for (const { value: c } of journal.records<OpenConversationRecord>(Keys.allOpen)) {
                if (c.status === 'assigned') dir.deps.runtime.tell(dir.conversationRef(c.id), { type: 'rearm' });
              }
            }
            return settings;
          });
          return;
        }
        case 'reopen': {
          const open = s.openByVisitor.get(msg.visitorId);
          if (open !== undefined && open !== msg.conversationId) {
            return msg.reply(new ProtocolError('conflict', 'this conversation is resolved and you have another one open', 'conversationId'));
          }
          s.openByVisitor.set(msg.visitorId, msg.conversationId);
          msg.reply({ conversationId: msg.conversationId });
          return;
        }
        case 'configureStaff': {
          const before = s.staff.get(msg.id);
          if (!before) return msg.reply(new ProtocolError('not_found', `no staff member "${msg.id}"`, 'id'));
          const next = { ...before } as Record<string, unknown>;
          for (const [k, v] of Object.entries(msg.changes)) {
            if (v === null) delete next[k];
            else if (v !== undefined) next[k] = v;
          }
          const after = next as unknown as StaffRecord;
          const invalid = invalidStaff(after, s);
          if (invalid) return msg.reply(invalid);
          s.staff.set(after.id, after);
          store([{ key: Keys.staff(after.id), value: after }], 'staff member', msg.reply, () => {
            dir.reprofileAgent(after, s.departments);
            if (rightsDiffer(before, after)) dir.onStaffIdentityChanged(after.id);
            return { before, after };
          }, () => {
            if (s.staff.get(after.id) === after) s.staff.set(after.id, before);
          });
          return;
        }
        case 'setSupervisors': {
          if (!s.departments.has(msg.department)) return msg.reply(new ProtocolError('not_found', `no department "${msg.department}"`, 'id'));
          for (const [i, id] of msg.staffIds.entries()) {
            if (s.staff.get(id)?.role !== 'supervisor') return msg.reply(new ProtocolError('invalid_field', `"${id}" is no supervisor`, `supervisors.${i}`));
          }
          const before = supervisorsOf(s.staff.values(), msg.department);
          const changed: StaffRecord[] = [];
          for (const st of s.staff.values()) {
            if (st.role !== 'supervisor') continue;
            const leads = st.departments.includes(msg.department);
            const should = msg.staffIds.includes(st.id);
            if (leads === should) continue;
            changed.push({ ...st, departments: should ? [...st.departments, msg.department] : st.departments.filter((d) => d !== msg.department) });
          }
          const previous = changed.map((st) => s.staff.get(st.id)!);
          for (const st of changed) s.staff.set(st.id, st);
          store(changed.map((st) => ({ key: Keys.staff(st.id), value: st })), 'department supervisors', msg.reply, () => {
            for (const st of changed) {
              dir.reprofileAgent(st, s.departments);
              dir.onStaffIdentityChanged(st.id);
            }
            return { before, after: supervisorsOf(s.staff.values(), msg.department) };
          }, () => {
            for (const st of previous) s.staff.set(st.id, st);
          });
          return;
        }
        case 'createStaff': {
          const st = msg.staff;
          if (s.staff.has(st.id)) return msg.reply(new ProtocolError('conflict', 'staff member exists', 'id'));
          const invalid = invalidStaff(st, s);
          if (invalid) return msg.reply(invalid);
          s.staff.set(st.id, st);
          store([{ key: Keys.staff(st.id), value: st }], 'staff member', msg.reply, () => {
            dir.startAgent(st, s.departments, []);
            return identity(st);
          }, () => s.staff.delete(st.id));
          return;
        }
      }
    },
  };
}

export type WorkspaceRef = Ref<WorkspaceMsg>;
