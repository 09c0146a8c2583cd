/**
 * MON-1: the department monitor. Agents, queues and conversations report
 * their figures here as messages (no actor's state is read); supervisors'
 * and admins' connections watch departments. Changes are coalesced: a
 * change marks its department dirty and arms one timer, and when it fires
 * every watcher gets one frame with the dirty departments it watches, so a
 * socket gets at most one frame per window however busy the floor is.
 */
import type { DepartmentDelta, DepartmentMonitorEvent } from '../../protocol/frames.js';
import type { Behavior, Ref } from '../runtime.js';
import type { TimerHandle } from '../clock.js';
import type { OpenConversationRecord } from '../conversation/records.js';
import { Keys } from '../keyspace.js';
import type { DepartmentDayRecord } from './records.js';
import type { FloorMsg } from './messages.js';
import type { FloorPorts } from './ports.js';
import {
  applyAgent,
  applyConversation,
  applyQueue,
  deltaOf,
  departmentOf,
  newFigures,
  rollDay,
  wholeDepartment,
  type Department,
  type Figures,
} from './figures.js';
import { nextDayStart } from './local-day.js';

/** The coalescing window: at most four frames a second per connection. */
export const FLUSH_MS = 250;

interface State {
  figures: Figures;
  /** Connection id → the departments it watches (undefined: all). */
  watchers: Map<number, ReadonlySet<string> | undefined>;
  flushTimer: TimerHandle | undefined;
  dayTimer: TimerHandle | undefined;
}

type OpenConversation = Pick<OpenConversationRecord, 'id' | 'department' | 'status' | 'agentId'>;

export function floorBehavior(ports: FloorPorts, open: readonly OpenConversation[]): Behavior<State, FloorMsg> {
  const { runtime, notifier, clock, journal, log } = ports;
  let self: Ref<FloorMsg>;

  const dept = (s: State) => (id: string) => departmentOf(s.figures, id, ports.department(id), clock.now());

  /** Every published department, so that one nothing has reported yet is shown too. */
  const allDepartments = (s: State): void => {
    for (const d of ports.departments()) dept(s)(d.id);
  };

  /**
   * The day's counts are stored as they change, so that a restart keeps
   * them: once per batch of reports handled (a microtask, before the store
   * hands the turn's writes over), not once per assignment or resolve.
   */
  const unstored = new Map<string, Department>();
  const storeCounts = (): void => {
    const writes = [...unstored.values()].map((d) => ({
      key: Keys.departmentDay(d.id),
      value: { day: d.day, assigned: d.assignedToday, resolved: d.resolvedToday } satisfies DepartmentDayRecord,
    }));
    unstored.clear();
    journal.writeRecords(writes).catch((err: unknown) => log.warn({ err }, 'department counts of the day not stored'));
  };
  const store = (d: Department): void => {
    if (unstored.size === 0) queueMicrotask(storeCounts);
    unstored.set(d.id, d);
  };

  const restore = (s: State): void => {
    for (const { key, value } of journal.records<DepartmentDayRecord>(Keys.allDepartmentDays)) {
      const d = dept(s)(String(key[1]));
      if (d.day !== value.day) continue;
      d.assignedToday = value.assigned;
      d.resolvedToday = value.resolved;
    }
  };

  const armFlush = (s: State): void => {
    if (s.flushTimer || s.figures.dirty.size === 0) return;
    s.flushTimer = clock.setTimer(FLUSH_MS, () => runtime.tell(self, { type: 'flush' }));
  };

  const armMidnight = (s: State): void => {
    s.dayTimer?.cancel();
    const now = clock.now();
    let at = Number.POSITIVE_INFINITY;
    for (const d of s.figures.departments.values()) at = Math.min(at, nextDayStart(d.timeZone, now));
    if (at === Number.POSITIVE_INFINITY) at = nextDayStart(undefined, now);
    s.dayTimer = clock.setTimer(at - now, () => runtime.tell(self, { type: 'midnight' }));
  };

  const flush = (s: State): void => {
    s.flushTimer = undefined;
    const { figures } = s;
    const now = clock.now();
    const deltas = new Map<string, DepartmentDelta>();
    for (const [id, dirty] of figures.dirty) {
      const d = figures.departments.get(id);
      if (d) deltas.set(id, deltaOf(d, dirty, now));
    }
    figures.dirty.clear();
    // One frame object per distinct watch, so the gateway encodes it once for all who share it.
    const frames = new Map<string, DepartmentMonitorEvent | undefined>();
    for (const [connectionId, watched] of s.watchers) {
      const key = watched ? [...watched].join(',') : '*';
      let frame = frames.get(key);
      if (!frames.has(key)) {
        const list = watched ? [...watched].flatMap((id) => deltas.get(id) ?? []) : [...deltas.values()];
        frame = list.length ? { type: 'department_monitor', at: now, departments: list } : undefined;
        frames.set(key, frame);
      }
      if (frame && !notifier.send({ kind: 'connection', id: connectionId }, frame)) s.watchers.delete(connectionId);
    }
    figures.tracking = s.watchers.size > 0;
  };

  return {
    init: (ctx) => {
      self = ctx.self;
      const s: State = { figures: newFigures(), watchers: new Map(), flushTimer: undefined, dayTimer: undefined };
      allDepartments(s);
      restore(s);
      for (const c of open) {
        s.figures.conversations.set(c.id, { department: c.department, assigned: c.status === 'assigned' });
        if (c.status === 'assigned') dept(s)(c.department).active++;
      }
      armMidnight(s);
      return s;
    },
    receive(s, msg) {
      switch (msg.type) {
        case 'agent':
          applyAgent(s.figures, dept(s), msg.report);
          return armFlush(s);
        case 'queue':
          applyQueue(s.figures, dept(s), msg.report);
          return armFlush(s);
        case 'conversation': {
          if (msg.previousDepartment !== undefined) dept(s)(msg.previousDepartment);
          const counted = applyConversation(s.figures, dept(s), msg.conversation, msg.event);
          if (counted) store(counted);
          return armFlush(s);
        }
        case 'watch': {
          allDepartments(s);
          const now = clock.now();
          const ids = msg.departments ?? [...s.figures.departments.keys()];
          s.watchers.set(msg.connectionId, msg.departments ? new Set(msg.departments) : undefined);
          s.figures.tracking = true;
          armMidnight(s);
          msg.reply({ at: now, departments: ids.map((id) => wholeDepartment(dept(s)(id), now)) });
          return;
        }
        case 'figures': {
          const now = clock.now();
          const known = new Set([...ports.departments()].map((d) => d.id));
          const ids = msg.departments.filter((id) => known.has(id));
          msg.reply({ at: now, departments: ids.map((id) => wholeDepartment(dept(s)(id), now)) });
          return;
        }
        case 'unwatch': {
          const watching = s.watchers.delete(msg.connectionId);
          s.figures.tracking = s.watchers.size > 0;
          if (!s.figures.tracking) s.figures.dirty.clear();
          msg.reply?.({ watching });
          return;
        }
        case 'watchers':
          return msg.reply(s.watchers.size);
        case 'flush':
          return flush(s);
        case 'midnight':
          for (const d of s.figures.departments.values()) rollDay(s.figures, d, clock.now());
          armMidnight(s);
          return armFlush(s);
      }
    },
  };
}
