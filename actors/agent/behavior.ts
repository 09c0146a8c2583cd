/**
 * Agent actor: owns one staff member's status and capacity (ROUTE-11). A
 * department's choice arrives as an offer; the agent accepts only when online
 * with a free slot, so capacity holds however many departments offer at once.
 * Every change of status or load is pushed to each of the agent's departments.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { AgentStatus } from '../../protocol/frames.js';
import type { Behavior, Ref } from '../runtime.js';
import type { TimerHandle } from '../clock.js';
import { Keys } from '../keyspace.js';
import type { AgentLoad, OfferAnswer } from '../department/messages.js';
import type { AgentStatsRecord, LoanRecord, TransferCountRecord } from './records.js';
import type { AgentProfile } from './profile.js';
import type { AgentMsg, AgentSummary } from './messages.js';
import type { AgentPorts } from './ports.js';
import { addFigure, noFigures } from './figures.js';

interface State {
  status: AgentStatus;
  /** Counts grace periods, so that a timer from an earlier disconnect does nothing. */
  graceEpoch: number;
  graceTimer: TimerHandle | undefined;
  onlineSince: number;
  onlineOrder: number;
  connections: number;
  active: Set<string>;
  /** Offers held for the agent's answer (ROUTE-17), by conversation id; their slots are in `active`. */
  offers: Map<string, { departmentId: string; reply: (answer: OfferAnswer, reason?: string) => void; timer: TimerHandle; missesBeforeAway: number }>;
  /** Offers in a row that ran out unanswered. */
  misses: number;
  stats: AgentStatsRecord;
  /** Conversations taken over (SUP-3): kept even while the status says offline. */
  forced: Set<string>;
  transfers: TransferCountRecord;
  /** SUP-4: departments this agent is lent to, until when. */
  loans: Map<string, { until: number; timer: TimerHandle }>;
}

/** XFER-5: limits count per UTC day. */
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function agentBehavior(ports: AgentPorts, profile: AgentProfile, restoredActive: readonly string[]): Behavior<State, AgentMsg> {
  const { runtime, notifier, clock, journal, log } = ports;
  let self: Ref<AgentMsg>;

  const departmentsOf = (s: State): string[] => (s.loans.size ? [...new Set([...profile.departments, ...s.loans.keys()])] : profile.departments);

  const pushLoad = (s: State): void => {
    const load: AgentLoad = {
      agentId: profile.id,
      name: profile.name,
      // Without a connection nobody can take a conversation, whatever the status says (ROUTE-14 grace).
      status: s.connections === 0 ? 'offline' : s.status,
      active: s.active.size,
      max: profile.maxConcurrent,
      onlineSince: s.onlineSince,
      onlineOrder: s.onlineOrder,
      weight: profile.weight,
      tier: profile.tier,
      skills: profile.skills,
      figures: s.stats.figures,
    };
    for (const d of departmentsOf(s)) {
      const dept = ports.department(d);
      if (!dept) continue;
      // An offer held for a department is still counted there as pending until answered: not twice (ROUTE-17).
      let held = 0;
      for (const o of s.offers.values()) if (o.departmentId === d) held++;
      runtime.tell(dept, { type: 'load', load: held ? { ...load, active: load.active - held } : load });
    }
    notifier.send({ kind: 'staff', id: profile.id }, { type: 'agent_status', agentId: profile.id, status: s.status, active: s.active.size, max: profile.maxConcurrent });
  };

  const summary = (s: State): AgentSummary => ({ status: s.status, active: s.active.size, max: profile.maxConcurrent, conversations: [...s.active] });

  const setStatus = (s: State, status: AgentStatus): void => {
    if (status === s.status) return;
    // Round robin orders agents by when they came online (ROUTE-2).
    if (status === 'online' && s.status !== 'busy') {
      s.onlineSince = clock.now();
      s.onlineOrder = ports.nextOnlineOrder();
    }
    s.status = status;
    pushLoad(s);
  };

  /** Offline: every conversation the agent serves goes back to routing, keeping its history (ROUTE-14). */
  const goOffline = (s: State): void => {
    s.graceTimer?.cancel();
    s.graceTimer = undefined;
    // Nobody is left to answer them: they go to other agents, and were not the agent's misses.
    for (const conversationId of [...s.offers.keys()]) endOffer(s, conversationId, 'refused');
    setStatus(s, 'offline');
    for (const conversationId of s.active) ports.agentGone(conversationId, profile.id);
  };

  /**
   * Ends a held offer: the slot stays only if it was accepted. The load goes
   * out after the answer, so the department has stopped counting the offer
   * as pending when it sees the load, and gives a freed or still free slot
   * to whoever waits in its queue (QUEUE-3).
   */
  const endOffer = (s: State, conversationId: string, answer: OfferAnswer, reason?: string): boolean => {
    const held = s.offers.get(conversationId);
    if (!held) return false;
    s.offers.delete(conversationId);
    held.timer.cancel();
    if (answer !== 'accepted') s.active.delete(conversationId);
    held.reply(answer, reason);
    pushLoad(s);
    return true;
  };

  const startLoan = (s: State, department: string, until: number): void => {
    s.loans.get(department)?.timer.cancel();
    s.loans.set(department, { until, timer: clock.setTimer(Math.max(0, until - clock.now()), () => runtime.tell(self, { type: 'loanOver', department, until })) });
  };

  /** A department the agent no longer belongs to stops seeing them as a member who can take work. */
  const leave = (s: State, department: string): void => {
    const dept = ports.department(department);
    if (!dept) return;
    runtime.tell(dept, {
      type: 'load',
      load: { agentId: profile.id, name: profile.name, status: 'offline', active: s.active.size, max: profile.maxConcurrent, onlineSince: s.onlineSince, onlineOrder: s.onlineOrder, weight: profile.weight, tier: profile.tier, skills: profile.skills, figures: s.stats.figures },
    });
  };

  /** The loaned department stops seeing the agent as a member who can take work. */
  const endLoan = (s: State, department: string): void => {
    const loan = s.loans.get(department);
    if (!loan) return;
    loan.timer.cancel();
    s.loans.delete(department);
    journal.writeRecords([{ key: Keys.loan(profile.id, department), value: undefined }]).catch((err: unknown) => log.warn({ err, agentId: profile.id }, 'loan end not stored'));
    if (!profile.departments.includes(department)) leave(s, department);
    notifier.send({ kind: 'staff', id: profile.id }, { type: 'notice', code: 'loan_ended', message: `Your loan to ${department} has ended.` });
  };

  return {
    init: (ctx) => {
      self = ctx.self;
      const s: State = {
        status: 'offline',
        graceEpoch: 0,
        graceTimer: undefined,
        onlineSince: 0,
        onlineOrder: 0,
        connections: 0,
        active: new Set(restoredActive),
        offers: new Map(),
        misses: 0,
        stats: journal.getRecord<AgentStatsRecord>(Keys.agentStats(profile.id)) ?? noFigures(),
        forced: new Set(),
        transfers: journal.getRecord<TransferCountRecord>(Keys.transferCount(profile.id)) ?? { day: '', count: 0 },
        loans: new Map(),
      };
      // Loans run on across restarts, to the minute they were given for.
      for (const { value: loan } of journal.records<LoanRecord>(Keys.loanPrefix(profile.id))) startLoan(s, loan.department, loan.until);
      pushLoad(s);
      return s;
    },
    receive(s, msg) {
      switch (msg.type) {
        case 'connected':
          s.connections++;
          if (s.graceTimer) {
            // Back within the grace period: nothing is taken away.
            s.graceTimer.cancel();
            s.graceTimer = undefined;
          }
          if (s.connections === 1) pushLoad(s);
          return;
        case 'disconnected': {
          s.connections = Math.max(0, s.connections - 1);
          if (s.connections > 0 || s.status === 'offline') return;
          pushLoad(s);
          const epoch = ++s.graceEpoch;
          s.graceTimer?.cancel();
          s.graceTimer = clock.setTimer(ports.disconnectGraceSec() * 1000, () => runtime.tell(self, { type: 'graceOver', epoch }));
          return;
        }
        case 'confirm':
          if (s.status === 'offline' && s.active.has(msg.conversationId) && !s.forced.has(msg.conversationId)) {
            ports.agentGone(msg.conversationId, profile.id);
          }
          return;
        case 'graceOver':
          if (msg.epoch === s.graceEpoch && s.connections === 0 && s.status !== 'offline') goOffline(s);
          return;
        case 'setStatus':
          if (msg.status !== 'offline' && s.connections === 0) {
            return msg.reply(new ProtocolError('conflict', 'an agent without a connection cannot be online'));
          }
          if (msg.status === 'offline') goOffline(s);
          else setStatus(s, msg.status);
          msg.reply(summary(s));
          return;
        case 'describe':
          msg.reply(summary(s));
          return;
        case 'offer': {
          if (msg.force) {
            if (s.active.has(msg.conversationId)) return msg.reply('refused', 'already_serving');
            s.active.add(msg.conversationId);
            s.forced.add(msg.conversationId);
            pushLoad(s);
            return msg.reply('accepted');
          }
          const available = s.connections > 0 && (s.status === 'online' || (msg.manual === true && s.status === 'busy'));
          const ok = available && s.active.size < profile.maxConcurrent && !s.active.has(msg.conversationId);
          if (!ok) {
            // XFER-8: a refused transfer says why.
            const why = s.active.has(msg.conversationId) ? 'already_serving' : s.connections === 0 || s.status === 'offline' ? 'offline' : !available ? s.status : 'full';
            return msg.reply('refused', why);
          }
          s.active.add(msg.conversationId);
          if (msg.acceptWithinMs === undefined || msg.manual) {
            pushLoad(s);
            return msg.reply('accepted');
          }
          const conversationId = msg.conversationId;
          s.offers.set(conversationId, {
            departmentId: msg.departmentId,
            reply: msg.reply,
            missesBeforeAway: msg.missesBeforeAway ?? 3,
            timer: clock.setTimer(msg.acceptWithinMs, () => runtime.tell(self, { type: 'offerExpired', conversationId })),
          });
          pushLoad(s);
          notifier.send(
            { kind: 'staff', id: profile.id },
            {
              type: 'offer',
              conversationId,
              department: msg.departmentId,
              ...(msg.visitorId !== undefined ? { visitorId: msg.visitorId } : {}),
              expiresAt: clock.now() + msg.acceptWithinMs,
            },
          );
          return;
        }
        case 'answerOffer': {
          const held = s.offers.get(msg.conversationId);
          if (!held) return msg.reply(new ProtocolError('not_found', 'no offer of this conversation is waiting for you', 'conversationId'));
          if (msg.accept) s.misses = 0;
          endOffer(s, msg.conversationId, msg.accept ? 'accepted' : 'declined', msg.reason);
          msg.reply({ conversationId: msg.conversationId, accepted: msg.accept });
          return;
        }
        case 'offerExpired': {
          const held = s.offers.get(msg.conversationId);
          if (!held) return;
          s.misses++;
          // ROUTE-17: an agent who keeps missing offers is probably not at the desk. Set before the
          // offer ends, so the load that follows the answer already says away.
          if (s.misses >= held.missesBeforeAway && (s.status === 'online' || s.status === 'busy')) {
            s.misses = 0;
            s.status = 'away';
          }
          endOffer(s, msg.conversationId, 'missed');
          notifier.send(
            { kind: 'staff', id: profile.id },
            { type: 'notice', conversationId: msg.conversationId, code: 'offer_expired', message: 'The offer was not answered in time: it went to another agent.' },
          );
          return;
        }
        case 'figure': {
          addFigure(s.stats, msg.kind, msg.value);
          journal
            .writeRecords([{ key: Keys.agentStats(profile.id), value: s.stats }])
            .catch((err: unknown) => log.warn({ err, agentId: profile.id }, 'agent figures not stored'));
          pushLoad(s);
          return;
        }
        case 'away':
          if (s.status === 'online' || s.status === 'busy') setStatus(s, 'away');
          return;
        case 'release':
          // A conversation that ended while its offer was held: the offer ends with it.
          if (endOffer(s, msg.conversationId, 'refused')) return;
          s.forced.delete(msg.conversationId);
          if (s.active.delete(msg.conversationId)) pushLoad(s);
          return;
        case 'countTransfer': {
          const day = dayOf(clock.now());
          if (s.transfers.day !== day) s.transfers = { day, count: 0 };
          if (s.transfers.count >= msg.limit) {
            return msg.reply(new ProtocolError('limit_exceeded', `daily transfer limit reached: ${msg.limit} transfers a day for your role`));
          }
          s.transfers = { day, count: s.transfers.count + 1 };
          const count = s.transfers.count;
          journal.writeRecords([{ key: Keys.transferCount(profile.id), value: s.transfers }]).then(
            () => msg.reply({ count, limit: msg.limit }),
            (err: unknown) => {
              log.error({ err, agentId: profile.id }, 'transfer count not stored');
              msg.reply(new ProtocolError('storage_failed', 'transfer count not stored; retry'));
            },
          );
          return;
        }
        case 'uncountTransfer':
          if (s.transfers.count > 0) {
            s.transfers = { ...s.transfers, count: s.transfers.count - 1 };
            journal.writeRecords([{ key: Keys.transferCount(profile.id), value: s.transfers }]).catch(() => undefined);
          }
          return;
        case 'loan': {
          if (msg.until <= clock.now()) {
            if (!s.loans.has(msg.department)) return msg.reply(new ProtocolError('not_found', 'no loan of this agent to that department', 'department'));
            endLoan(s, msg.department);
            pushLoad(s);
            return msg.reply({ agentId: profile.id, department: msg.department, until: msg.until });
          }
          if (profile.departments.includes(msg.department)) return msg.reply(new ProtocolError('conflict', 'the agent is a member of that department already', 'department'));
          const record: LoanRecord = { agentId: profile.id, department: msg.department, until: msg.until, by: msg.by };
          journal.writeRecords([{ key: Keys.loan(profile.id, msg.department), value: record }]).then(
            () => {
              startLoan(s, msg.department, msg.until);
              pushLoad(s);
              notifier.send({ kind: 'staff', id: profile.id }, { type: 'notice', code: 'loan_started', message: `You are lent to ${msg.department} until ${new Date(msg.until).toISOString()}.` });
              msg.reply({ agentId: profile.id, department: msg.department, until: msg.until });
            },
            (err: unknown) => {
              log.error({ err, agentId: profile.id }, 'loan not stored');
              msg.reply(new ProtocolError('storage_failed', 'loan not stored; retry'));
            },
          );
          return;
        }
        case 'loanOver':
          if (s.loans.get(msg.department)?.until === msg.until) {
            endLoan(s, msg.department);
            pushLoad(s);
          }
          return;
        case 'reprofile': {
          const before = departmentsOf(s);
          // The profile object is this actor's own (built for it by the directory): changed in place, read at each use.
          Object.assign(profile, msg.profile);
          const now = departmentsOf(s);
          for (const d of before) if (!now.includes(d)) leave(s, d);
          pushLoad(s);
          return;
        }
      }
    },
  };
}

