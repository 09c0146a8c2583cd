/**
 * OPS-1, OPS-2 under load: the chaos harness (load/chaos/chaos-run.ts) for three
 * kill -9 cycles, and its checks on made-up journals, so a harness that
 * stopped seeing lost or repeated events would fail here too.
 */
import t from 'tap';
import { runChaos } from '../load/chaos/chaos-run.js';
import {
  ConversationFacts,
  Ledger,
  checkJournal,
  checkQueueOrder,
  checkTransferChain,
  derive,
  senderKey,
} from '../load/chaos/chaos-ledger.js';
import type { Frame } from '../load/client/protocol-socket.js';

t.test(
  'OPS-1 OPS-2 QUEUE-1 XFER-6: three kill -9 cycles under load lose, repeat or move no acked message or state change; queues, assignments and transfer chains survive; clients resume',
  async (t) => {
    const report = await runChaos({ cycles: 3, visitors: 20, killAfterMs: [600, 1500], seed: 7, timeLimitMs: 50_000 });
    t.same(report.failures, [], 'no check failed');
    t.equal(report.kills, 3);
    t.equal(report.cycles.length, 3);
    t.ok(
      report.ackedMessagesChecked > 50,
      `${report.ackedMessagesChecked} acked messages found once at their seq after the kills`,
    );
    t.ok(
      report.cycles.every((c) => c.eventsChecked > 0),
      'every cycle checked events clients had received',
    );
    t.ok(
      report.cycles.some((c) => c.waitingAtKill > 0),
      'a queue had formed when the server was killed',
    );
    t.ok(report.resolvesAcked > 0, 'conversations were resolved');
    t.ok(
      report.finalAckedMessages >= report.cycles.at(-1)!.ackedMessagesChecked,
      'the final audit covers every conversation',
    );
    t.ok(
      report.restartMaxMs > 0 && report.restartMaxMs < 10_000,
      `restart to /readyz: mean ${report.restartMeanMs} ms, max ${report.restartMaxMs} ms`,
    );
  },
);

const visitor = 'v-1';
const created: Frame = { type: 'created', conversationId: 'c', seq: 1, at: 1, visitorId: visitor, department: 'd1' };
const message = (seq: number, cmid: string, role = 'visitor', id = visitor): Frame => ({
  type: 'message',
  conversationId: 'c',
  seq,
  at: seq,
  messageId: `c.${seq}`,
  from: { role, id },
  clientMsgId: cmid,
  text: cmid,
});
const assigned = (seq: number, agent: string): Frame => ({
  type: 'assigned',
  conversationId: 'c',
  seq,
  at: seq,
  department: 'd1',
  visitorId: visitor,
  agent: { id: agent, name: agent },
  policy: 'round_robin',
});
const resolved = (seq: number): Frame => ({
  type: 'resolved',
  conversationId: 'c',
  seq,
  at: seq,
  by: { role: 'agent', id: 'a1' },
});

function factsOf(events: Frame[]): ConversationFacts {
  const ledger = new Ledger();
  for (const e of events) ledger.observe(e);
  ledger.ackMessage('c', senderKey('visitor', visitor, 'm1'), 2);
  ledger.ackChange('c', 4, { type: 'resolved' });
  return ledger.facts('c');
}

t.test('OPS-1 OPS-2: the chaos checks catch a lost, repeated, moved or changed event', async (t) => {
  const journal = [created, message(2, 'm1'), assigned(3, 'a1'), resolved(4)];
  const facts = factsOf(journal);
  const good = checkJournal(facts, journal);
  t.same(good.failures, []);
  t.equal(good.messagesChecked, 1);
  t.match(good.state, { status: 'resolved', agentId: 'a1', department: 'd1', lastSeq: 4 });

  const lost = checkJournal(facts, [created, assigned(3, 'a1'), resolved(4)]);
  t.match(lost.failures.join('\n'), /replay event 2 has seq 3/);
  t.match(lost.failures.join('\n'), /acked message visitor:v-1:m1 \(seq 2\) found at seqs \[\]/);
  t.match(lost.failures.join('\n'), /seq 2: a client received .* nothing there/);

  const twice = checkJournal(facts, [created, message(2, 'm1'), assigned(3, 'a1'), resolved(4), message(5, 'm1')]);
  t.match(twice.failures.join('\n'), /stored 2 times/);

  const changed = checkJournal(facts, [created, message(2, 'm1'), assigned(3, 'a2'), message(4, 'x')]);
  t.match(changed.failures.join('\n'), /seq 3: a client received .*a1.* the restarted server has .*a2/);
  t.match(changed.failures.join('\n'), /seq 4: acked \{"type":"resolved"\}/);

  const ledger = new Ledger();
  ledger.observe(message(2, 'm1'));
  ledger.observe(message(2, 'm2'));
  ledger.ackMessage('c', 'visitor:v-1:m1', 2);
  ledger.ackMessage('c', 'visitor:v-1:m1', 3);
  t.equal(
    ledger.failures.length,
    2,
    'two clients disagreeing on a seq, and one message acked at two seqs, are failures at once',
  );
  t.equal(derive([message(1, 'x')]), undefined, 'a journal that does not start with created derives nothing');
});

t.test('XFER-6 QUEUE-1: the chaos checks catch a broken transfer chain and a reordered queue', async (t) => {
  const facts = new ConversationFacts('c');
  facts.transfers.set(0, { agentId: 'a2' });
  facts.transfers.set(1, { department: 'd2' });
  const chain: Frame[] = [
    { type: 'transfer', n: 0, to: { kind: 'agent', id: 'a2', name: 'a2', department: 'd1' } },
    { type: 'transfer', n: 1, to: { kind: 'department', department: 'd2' } },
  ];
  t.same(checkTransferChain(facts, chain, 2), []);
  t.match(
    checkTransferChain(facts, chain.slice(0, 1), 2).join('\n'),
    /1 transfer records for 2 transferred events[\s\S]*acked transfer 1/,
  );
  t.match(checkTransferChain(facts, [chain[1]!, chain[0]!], 2).join('\n'), /transfer 0 of the chain is numbered 1/);

  t.same(checkQueueOrder('d1', ['a', 'b', 'c'], ['a', 'c', 'd']), [], 'leaving and joining keep the order of the rest');
  t.match(checkQueueOrder('d1', ['a', 'b', 'c'], ['c', 'a']).join(''), /before the kill a,c, after the restart c,a/);
});
