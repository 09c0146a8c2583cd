/**
 * The simulated customers (SIM-1): each arrives at their time and `start`s a conversation (a needs token in
 * the first message lets the real keyword rules settle its needs), `leave`s when their patience runs out, and
 * is served by the agent who gets the `assigned`: a first reply, then `resolve` after the handle time.
 * Resolved conversations are let go of in batches, so memory follows the live ones.
 */
import { Keys } from '../../actors/keyspace.js';
import { conversationStream } from '../../actors/conversation/records.js';
import type { CustomerRecord } from '../../actors/customer-records.js';
import { anonymousCustomerId } from '../../actors/customer-view.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { ConversationTrack } from '../reports/conversation-track.js';
import { hourOf } from '../reports/hours.js';
import type { NeedsRules } from './needs-rules.js';
import type { SimCustomer } from './customers.js';
import type { CustomerOutcome } from './outcomes.js';
import { agentCaller, caller, noop, type LiveCustomer, type SimWorld } from './sim-world.js';
import { rateIfAnswering, scheduleTransfer } from './sim-follow-ups.js';

/** Conversations let go of in batches: checking the actor and dropping its records is cheap only in bulk. */
const FORGET_BATCH = 500;

/** The agent lets go (a transfer, an unassignment): what they had planned is off, and the time served so far counts. */
function stopServing(l: LiveCustomer, now: number): void {
  l.resolve?.cancel();
  l.reply?.cancel();
  l.transfer?.cancel();
  if (l.since !== undefined) l.served += now - l.since;
  l.since = undefined;
}

/** What a customer's widget would receive: their place in line, the assignment, its end. */
export function onCustomerFrame(world: SimWorld, connection: number, frame: ServerFrame): void {
  const { runtime, clock, dir } = world;
  const l = world.live.get(connection);
  if (!l) return;
  const now = clock.now();
  switch (frame.type) {
    case 'queued':
      l.o.queued = true;
      if (frame.reason && l.o.leftMessage === undefined && l.o.assignedAt === undefined) {
        // Offered to leave a message (QUEUE-4/6): they do, and stop waiting at the screen.
        l.o.leftMessage = frame.reason;
        l.patience?.cancel();
      }
      return;
    case 'assigned': {
      l.o.assignedAt ??= now;
      l.patience?.cancel();
      l.agentId = frame.agent.id;
      l.since = now;
      const agent = world.agents.get(frame.agent.id);
      if (agent) agent.assignments++;
      const conversation = frame.conversationId;
      const agentId = frame.agent.id;
      const remainingMs = Math.max(0, l.c.handleMs - l.served);
      scheduleTransfer(world, l, conversation, frame.department, agentId, remainingMs);
      l.resolve = clock.setTimer(remainingMs, () =>
        runtime.tell(dir.conversationRef(conversation), { type: 'resolve', caller: agentCaller(agentId), reply: noop }),
      );
      if (l.c.firstReplyMs !== undefined) {
        l.reply = clock.setTimer(l.c.firstReplyMs, () =>
          runtime.tell(dir.conversationRef(conversation), {
            type: 'send',
            caller: agentCaller(agentId),
            text: 'sim reply',
            reply: noop,
          }),
        );
      }
      return;
    }
    case 'message':
      if (frame.from.role === 'agent') l.o.firstAgentMessageAt ??= now;
      return;
    case 'transferred':
      (l.o.transfers ??= []).push({ at: now, tags: l.transferTags ?? [] });
      stopServing(l, now);
      return;
    case 'unassigned':
      stopServing(l, now);
      return;
    case 'resolved':
      if (l.o.endedAt !== undefined) return;
      l.o.endedAt = now;
      l.o.end =
        frame.reason === 'abandoned' || frame.reason === 'left' || frame.reason === 'inactive'
          ? frame.reason
          : 'resolved';
      l.patience?.cancel();
      l.resolve?.cancel();
      l.reply?.cancel();
      l.transfer?.cancel();
      if (frame.reason === undefined) rateIfAnswering(world, l, frame.conversationId, connection);
      world.live.delete(connection);
      world.finished++;
      world.toForget.push(frame.conversationId);
      return;
    default:
      return;
  }
}

/** Drops the records of resolved conversations whose actor has stopped; the others wait for the next batch. */
function forget(world: SimWorld): void {
  const keep: string[] = [];
  for (const id of world.toForget) {
    if (world.runtime.find('conversation', id)) keep.push(id);
    else {
      // The reports' tracking record and creation index go too: the rollups keep what the reports need.
      const track = world.journal.getRecord<ConversationTrack>(Keys.reportConversation(id));
      const reportKeys = track
        ? [Keys.reportConversation(id), Keys.reportCreated(hourOf(track.createdAt), track.createdAt, id)]
        : [];
      world.journal.forget(conversationStream(id), [
        ...reportKeys,
        Keys.routing(id),
        Keys.decisions(id),
        Keys.clientMsgs(id),
        Keys.readMarks(id),
        Keys.transfers(id),
        Keys.notes(id),
        Keys.rating(id),
      ]);
    }
  }
  world.toForget.length = 0;
  world.toForget.push(...keep);
}

/**
 * Sets the first arrival's timer; each arrival sets the next (one timer pending at a time keeps the heap
 * small). Returns the outcomes, filled in as the run goes.
 */
export function scheduleArrivals(
  world: SimWorld,
  customers: readonly SimCustomer[],
  tokenOf: NeedsRules['tokenOf'],
): CustomerOutcome[] {
  const { runtime, clock, dir, journal, start } = world;
  const outcomes: CustomerOutcome[] = new Array<CustomerOutcome>(customers.length);
  const arrive = (i: number): void => {
    const c = customers[i];
    if (!c) return;
    world.arrived++;
    const o: CustomerOutcome = { index: c.index, arrivedAt: c.at, startedAt: clock.now(), department: c.department };
    const connection = c.index + 1;
    const l: LiveCustomer = { c, o, served: 0, visitorId: c.visitorId };
    world.live.set(connection, l);
    outcomes[c.index] = o;
    if (c.needs?.vip) {
      const customerId = anonymousCustomerId(c.visitorId);
      const record: CustomerRecord = {
        id: customerId,
        attributes: {},
        vip: true,
        visitorIds: [c.visitorId],
        createdAt: clock.now(),
        updatedAt: clock.now(),
      };
      void journal.writeRecords([{ key: Keys.customer(customerId), value: record }]);
    }
    const text = tokenOf(c.needs);
    const startConversation = (visitorId: string, retry: boolean): void => {
      runtime.tell(dir.workspace, {
        type: 'start',
        caller: caller('visitor', visitorId, connection),
        ...(c.department !== undefined ? { department: c.department } : {}),
        ...(text !== undefined ? { text } : {}),
        reply: (r) => {
          if (r instanceof ProtocolError) {
            o.refused = r.code;
            world.live.delete(connection);
            world.finished++;
            return;
          }
          // A recorded visitor whose earlier conversation is still open here: a new visitor, so nothing merges.
          if (!r.created && retry) return startConversation(`${c.visitorId}~${c.index}`, false);
          o.conversationId = r.conversationId;
          if (Number.isFinite(c.patienceMs) && o.assignedAt === undefined && o.leftMessage === undefined) {
            const id = r.conversationId;
            l.patience = clock.setTimer(c.patienceMs - (clock.now() - (start + c.at)), () => {
              if (o.assignedAt === undefined && o.endedAt === undefined && o.leftMessage === undefined) {
                runtime.tell(dir.conversationRef(id), {
                  type: 'leave',
                  caller: caller('visitor', l.visitorId, connection),
                  reply: noop,
                });
              }
            });
          }
        },
      });
      l.visitorId = visitorId;
    };
    startConversation(c.visitorId, true);
    if (world.toForget.length >= FORGET_BATCH) forget(world);
    const next = customers[i + 1];
    if (next) clock.setTimer(start + next.at - clock.now(), () => arrive(i + 1));
  };
  if (customers.length) clock.setTimer(customers[0]!.at, () => arrive(0));
  return outcomes;
}
