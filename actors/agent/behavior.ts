/**
 * Agent actor: owns one staff member's status and capacity (ROUTE-11). A
 * department's choice arrives as an offer; the agent accepts only when online
 * with a free slot, so capacity holds however many departments offer at once.
 * Every change of status or load is pushed to each of the agent's departments
 * (context.ts); loans (loans.ts) and the daily transfer count
 * (transfer-count.ts) are parts of its state kept in files of their own.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { AgentStatus } from '../../protocol/frames.js';
import type { Behavior } from '../runtime.js';
import { Keys } from '../keyspace.js';
import type { OfferAnswer } from '../department/messages.js';
import type { AgentStatsRecord, TransferCountRecord } from './records.js';
import type { AgentProfile } from './profile.js';
import type { AgentMsg, AgentSummary } from './messages.js';
import type { AgentPorts } from './ports.js';
import { addFigure, noFigures } from './figures.js';
import {
  departmentsOf,
  leave,
  noDebts,
  owe,
  pushLoad,
  type AgentContext,
  type AgentState as State,
} from './context.js';
import { lend, lentTo, loanOver, resumeLoans } from './loans.js';
import { allowance, transfer, uncountTransfer } from './transfer-count.js';
import { flushPresence, startPresence } from './presence.js';

export function agentBehavior(
  ports: AgentPorts,
  profile: AgentProfile,
  restoredActive: readonly string[],
): Behavior<State, AgentMsg> {
  const { runtime, notifier, clock, journal } = ports;
  let cx: AgentContext;

  const summary = (s: State): AgentSummary => ({
    status: s.status,
    active: s.active.size,
    max: profile.maxConcurrent,
    conversations: [...s.active],
  });

  const setStatus = (s: State, status: AgentStatus): void => {
    if (status === s.status) return;
    // Round robin orders agents by when they came online (ROUTE-2).
    if (status === 'online' && s.status !== 'busy') {
      s.onlineSince = clock.now();
      s.onlineOrder = ports.nextOnlineOrder();
    }
    s.status = status;
    pushLoad(cx, s);
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
    pushLoad(cx, s);
    return true;
  };

  return {
    init: (ctx) => {
      cx = { ports, profile, self: ctx.self };
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
        presence: startPresence(cx),
        owed: noDebts(),
      };
      resumeLoans(cx, s);
      pushLoad(cx, s);
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
          if (s.connections === 1) pushLoad(cx, s);
          return;
        case 'disconnected': {
          s.connections = Math.max(0, s.connections - 1);
          if (s.connections > 0 || s.status === 'offline') return;
          pushLoad(cx, s);
          const epoch = ++s.graceEpoch;
          s.graceTimer?.cancel();
          s.graceTimer = clock.setTimer(ports.disconnectGraceSec() * 1000, () =>
            runtime.tell(cx.self, { type: 'graceOver', epoch }),
          );
          return;
        }
        case 'confirm':
          if (s.status === 'offline' && s.active.has(msg.conversationId) && !s.forced.has(msg.conversationId)) {
            ports.agentGone(msg.conversationId, profile.id);
          }
          return;
        case 'presenceDue':
          flushPresence(cx, s);
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
            pushLoad(cx, s);
            return msg.reply('accepted');
          }
          const available =
            s.connections > 0 && (s.status === 'online' || (msg.manual === true && s.status === 'busy'));
          const ok = available && s.active.size < profile.maxConcurrent && !s.active.has(msg.conversationId);
          if (!ok) {
            // XFER-8: a refused transfer says why.
            const why = s.active.has(msg.conversationId)
              ? 'already_serving'
              : s.connections === 0 || s.status === 'offline'
                ? 'offline'
                : !available
                  ? s.status
                  : 'full';
            return msg.reply('refused', why);
          }
          s.active.add(msg.conversationId);
          if (msg.acceptWithinMs === undefined || msg.manual) {
            pushLoad(cx, s);
            return msg.reply('accepted');
          }
          const conversationId = msg.conversationId;
          s.offers.set(conversationId, {
            departmentId: msg.departmentId,
            reply: msg.reply,
            missesBeforeAway: msg.missesBeforeAway ?? 3,
            timer: clock.setTimer(msg.acceptWithinMs, () =>
              runtime.tell(cx.self, { type: 'offerExpired', conversationId }),
            ),
          });
          pushLoad(cx, s);
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
          if (!held)
            return msg.reply(
              new ProtocolError('not_found', 'no offer of this conversation is waiting for you', 'conversationId'),
            );
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
            {
              type: 'notice',
              conversationId: msg.conversationId,
              code: 'offer_expired',
              message: 'The offer was not answered in time: it went to another agent.',
            },
          );
          return;
        }
        case 'figure': {
          // Stored and pushed once the batch is handled: a resolve's figure comes with its release, which pushes the load.
          addFigure(s.stats, msg.kind, msg.value);
          owe(cx, s, 'stats');
          owe(cx, s, 'load');
          return;
        }
        case 'away':
          if (s.status === 'online' || s.status === 'busy') setStatus(s, 'away');
          return;
        case 'release':
          // A conversation that ended while its offer was held: the offer ends with it.
          if (endOffer(s, msg.conversationId, 'refused')) return;
          s.forced.delete(msg.conversationId);
          if (s.active.delete(msg.conversationId)) pushLoad(cx, s);
          return;
        case 'transfer':
          return transfer(cx, s, msg);
        case 'uncountTransfer':
          return uncountTransfer(cx, s);
        case 'transferAllowance':
          return msg.reply(allowance(cx, s));
        case 'loan':
          return lend(cx, s, msg);
        case 'loanOver':
          return loanOver(cx, s, msg);
        case 'loans':
          return msg.reply({ departments: lentTo(cx, s) });
        case 'reprofile': {
          const before = departmentsOf(cx, s);
          // The profile object is this actor's own (built for it by the directory): changed in place, read at each use.
          Object.assign(profile, msg.profile);
          const now = departmentsOf(cx, s);
          for (const d of before) if (!now.includes(d)) leave(cx, s, d);
          pushLoad(cx, s);
          return;
        }
      }
    },
  };
}
