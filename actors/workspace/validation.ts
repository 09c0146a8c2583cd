/**
 * The workspace's rules for configuration, as pure functions of the change
 * and what is stored: settings that would break routing or conversations
 * are refused before they are stored. Each answers the error to reply with,
 * or undefined when the change may be stored.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { PolicyName } from '../routing/decision.js';
import type { KeywordRule } from '../routing/keyword-rules.js';
import { validateBusinessHours } from '../routing/business-hours.js';
import { LANGUAGES, invalidAutoMessages } from '../auto-messages.js';
import type { DepartmentRecord } from '../department/records.js';
import type { StaffRecord, StaffRole } from '../agent/records.js';
import type { VerificationSettings, WorkspaceSettings } from './records.js';
import { invalidWidgetOrigins } from './widget-origins.js';

/** CUST-1: a shorter secret could be guessed offline from one signed login. */
export const MIN_VERIFICATION_SECRET_LENGTH = 32;

const POLICIES: readonly string[] = [
  'round_robin',
  'least_load',
  'weighted_round_robin',
  'smart',
] satisfies PolicyName[];

const ROLES: readonly StaffRole[] = ['agent', 'supervisor', 'admin'];

/** A record with `changes` applied: `null` removes a setting, `undefined` leaves it. */
export function withChanges<R extends object>(current: R, changes: object): R {
  const next = { ...current } as Record<string, unknown>;
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return next as R;
}

/** A department's settings, checked against the departments stored (overflow targets, parents). */
export function invalidDepartment(
  d: DepartmentRecord,
  departments: ReadonlyMap<string, DepartmentRecord>,
): ProtocolError | undefined {
  const positive = (v: number | undefined): boolean => v === undefined || (Number.isFinite(v) && v > 0);
  if (d.policy !== undefined && !POLICIES.includes(d.policy))
    return new ProtocolError('invalid_field', `policy is one of ${POLICIES.join(', ')}`, 'policy');
  if (d.offerMode !== undefined && d.offerMode !== 'auto' && d.offerMode !== 'offer')
    return new ProtocolError('invalid_field', 'offerMode is auto or offer', 'offerMode');
  for (const [k, v] of Object.entries(d.loadIndexWeights ?? {})) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      return new ProtocolError('invalid_field', 'weights are numbers, 0 or more', `loadIndexWeights/${k}`);
  }
  if (!positive(d.responseTimeoutSec))
    return new ProtocolError('invalid_field', 'must be a positive number of seconds', 'responseTimeoutSec');
  if (!positive(d.offerTimeoutSec))
    return new ProtocolError('invalid_field', 'must be a positive number of seconds', 'offerTimeoutSec');
  if (d.stickyWaitSec !== undefined && !(d.stickyWaitSec >= 0))
    return new ProtocolError('invalid_field', 'must be 0 or more seconds', 'stickyWaitSec');
  if (d.maxQueueLength !== undefined && !(Number.isInteger(d.maxQueueLength) && d.maxQueueLength >= 0)) {
    return new ProtocolError('invalid_field', 'must be a whole number, 0 or more', 'maxQueueLength');
  }
  if (d.fairnessCap && !(d.fairnessCap.max >= 1 && d.fairnessCap.windowSec > 0))
    return new ProtocolError('invalid_field', 'max ≥ 1 and windowSec > 0', 'fairnessCap');
  const to = d.widening?.overflowTo;
  if (to !== undefined && (to === d.id || !departments.has(to)))
    return new ProtocolError('invalid_field', `no other department "${to}"`, 'widening.overflowTo');
  if (to !== undefined && d.widening?.overflowAfterSec === undefined)
    return new ProtocolError('invalid_field', 'overflow needs overflowAfterSec', 'widening.overflowAfterSec');
  if (d.parent !== undefined && !departments.has(d.parent))
    return new ProtocolError('invalid_field', `no department "${d.parent}"`, 'parent');
  // A department may not sit under itself, however far up.
  for (let up = d.parent, steps = 0; up !== undefined; up = departments.get(up)?.parent, steps++) {
    if (up === d.id || steps > departments.size)
      return new ProtocolError('invalid_field', 'a department cannot sit under itself', 'parent');
  }
  if (d.hours) {
    const problem = validateBusinessHours(d.hours);
    if (problem) return new ProtocolError('invalid_field', problem, 'hours');
  }
  return undefined;
}

/** A staff account that names unknown departments or another account's email. */
export function invalidStaff(
  st: StaffRecord,
  departments: ReadonlyMap<string, DepartmentRecord>,
  staff: Iterable<StaffRecord>,
): ProtocolError | undefined {
  const unknownDept = st.departments.find((d) => !departments.has(d));
  if (unknownDept) return new ProtocolError('not_found', `no department "${unknownDept}"`, 'departments');
  for (const other of staff) {
    if (other.id !== st.id && other.email.toLowerCase() === st.email.toLowerCase())
      return new ProtocolError('conflict', 'another staff member has this email', 'email');
  }
  return undefined;
}

/** Workspace settings that would break conversations (XFER-2 tags, XFER-5 limits, CONV-4, CONV-5, WEB-1 origins). */
export function invalidWorkspace(w: WorkspaceSettings): ProtocolError | undefined {
  if (w.tags !== undefined) {
    if (!Array.isArray(w.tags) || w.tags.length > 200)
      return new ProtocolError('invalid_field', 'at most 200 tags', 'tags');
    for (const [i, t] of w.tags.entries()) {
      if (typeof t !== 'string' || t.trim() === '' || t.length > 64)
        return new ProtocolError('invalid_field', 'a tag is 1 to 64 characters', `tags.${i}`);
    }
    if (new Set(w.tags).size !== w.tags.length)
      return new ProtocolError('invalid_field', 'tags must be unique', 'tags');
  }
  for (const [role, limit] of Object.entries(w.transferLimits ?? {})) {
    if (!(ROLES as readonly string[]).includes(role))
      return new ProtocolError('invalid_field', `role is one of ${ROLES.join(', ')}`, `transferLimits.${role}`);
    if (!(Number.isInteger(limit) && limit >= 0))
      return new ProtocolError(
        'invalid_field',
        'a whole number of transfers per day, 0 or more',
        `transferLimits.${role}`,
      );
  }
  if (w.autoCloseAfterMin !== undefined && !(Number.isFinite(w.autoCloseAfterMin) && w.autoCloseAfterMin > 0)) {
    return new ProtocolError('invalid_field', 'a positive number of minutes', 'autoCloseAfterMin');
  }
  if (w.defaultLanguage !== undefined && !(LANGUAGES as readonly string[]).includes(w.defaultLanguage)) {
    return new ProtocolError('invalid_field', `language is one of ${LANGUAGES.join(', ')}`, 'defaultLanguage');
  }
  const auto = invalidAutoMessages(w.autoMessages);
  if (auto) return new ProtocolError('invalid_field', auto.message, auto.field);
  const origins = w.widgetOrigins === undefined ? undefined : invalidWidgetOrigins(w.widgetOrigins);
  if (origins) return new ProtocolError('invalid_field', origins.message, origins.field);
  return undefined;
}

/** ROUTE-7: ids unique, departments known, every rule with a keyword. */
export function invalidKeywordRules(
  rules: readonly KeywordRule[],
  departments: ReadonlyMap<string, DepartmentRecord>,
): ProtocolError | undefined {
  const ids = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (ids.has(rule.id)) return new ProtocolError('invalid_field', `duplicate rule id "${rule.id}"`, `rules/${i}/id`);
    ids.add(rule.id);
    if (rule.department !== undefined && !departments.has(rule.department)) {
      return new ProtocolError('not_found', `no department "${rule.department}"`, `rules/${i}/department`);
    }
    if (rule.keywords.every((k) => k.trim() === ''))
      return new ProtocolError('invalid_field', 'a rule needs a keyword', `rules/${i}/keywords`);
  }
  return undefined;
}

/** CUST-1: a verification secret long enough not to be guessed; null (removing it) is always allowed. */
export function invalidVerification(v: VerificationSettings | null): ProtocolError | undefined {
  if (v && v.secret.length < MIN_VERIFICATION_SECRET_LENGTH) {
    return new ProtocolError(
      'invalid_field',
      `the secret needs at least ${MIN_VERIFICATION_SECRET_LENGTH} characters`,
      'secret',
    );
  }
  return undefined;
}

/** ROLE-2: every one of `staffIds` is a supervisor. */
export function invalidSupervisors(
  staffIds: readonly string[],
  staff: ReadonlyMap<string, StaffRecord>,
): ProtocolError | undefined {
  for (const [i, id] of staffIds.entries()) {
    if (staff.get(id)?.role !== 'supervisor')
      return new ProtocolError('invalid_field', `"${id}" is no supervisor`, `supervisors.${i}`);
  }
  return undefined;
}
