/**
 * The widget's transcript reducer (src/web/widget/transcript.ts), without a
 * browser: what a resume that overlaps, a live stream and the transient
 * events make of the visitor's view (WEB-2, OPS-2, CONV-2).
 */
import t from 'tap';
import { applyEvent, emptyChat, surveyOpen, unreadCount, type ChatState } from '../src/web/widget/transcript.js';
import type { ServerFrame } from '../protocol/frames.js';

const c = 'c-1';
const at = 1_795_000_000_000;
const msg = (
  seq: number,
  role: 'visitor' | 'agent' | 'system',
  text: string,
  extra: Record<string, unknown> = {},
): ServerFrame =>
  ({
    type: 'message',
    conversationId: c,
    seq,
    at,
    messageId: `${c}.${seq}`,
    from: { role, id: role === 'agent' ? 'alice' : role === 'system' ? 'system' : 'v-1' },
    text,
    ...extra,
  }) as ServerFrame;
const run = (events: ServerFrame[], from: ChatState = emptyChat) => events.reduce(applyEvent, from);

t.test('WEB-2 OPS-2: each seq is shown once, in order, however a replay overlaps what is shown', async (t) => {
  const first = run([
    { type: 'created', conversationId: c, seq: 1, at, visitorId: 'v-1', department: 'pre-sales' } as ServerFrame,
    msg(2, 'visitor', 'hi'),
    msg(3, 'agent', 'hello'),
  ]);
  const replayed = run([msg(2, 'visitor', 'hi'), msg(3, 'agent', 'hello'), msg(4, 'agent', 'more')], first);
  t.same(
    replayed.lines.map((l) => [l.seq, l.text]),
    [
      [2, 'hi'],
      [3, 'hello'],
      [4, 'more'],
    ],
  );
  t.equal(replayed.lastSeq, 4);
  t.equal(applyEvent(replayed, msg(3, 'agent', 'hello')), replayed, 'a repeat changes nothing (same object)');
  t.equal(
    applyEvent(replayed, msg(9, 'agent', 'x', { conversationId: 'c-other' })),
    replayed,
    "another conversation's event is ignored",
  );
});

t.test("WEB-2: the visitor's own message takes its pending copy out of the outbox by clientMsgId", async (t) => {
  const s = run([msg(2, 'visitor', 'one', { clientMsgId: 'w-1' })], {
    ...emptyChat,
    conversationId: c,
    outbox: [
      { clientMsgId: 'w-1', text: 'one' },
      { clientMsgId: 'w-2', text: 'two' },
    ],
  });
  t.same(
    s.outbox.map((o) => o.clientMsgId),
    ['w-2'],
  );
});

t.test(
  "WEB-2 QUEUE-1: queue position, the reason nobody answers soon, the agent's name, resolve and the survey",
  async (t) => {
    let s = run([
      { type: 'queue_position', conversationId: c, position: 2, estimatedWaitSeconds: 120 } as ServerFrame,
      { type: 'queued', conversationId: c, seq: 3, at, department: 'pre-sales' } as ServerFrame,
    ]);
    t.same([s.status, s.queue], ['queued', { position: 2, waitSeconds: 120 }]);
    s = applyEvent(s, {
      type: 'queued',
      conversationId: c,
      seq: 4,
      at,
      department: 'pre-sales',
      reason: 'no_agents_online',
    } as ServerFrame);
    t.equal(s.backlog, 'no_agents_online');
    s = applyEvent(s, {
      type: 'assigned',
      conversationId: c,
      seq: 5,
      at,
      department: 'pre-sales',
      visitorId: 'v-1',
      agent: { id: 'alice', name: 'Alice' },
      policy: 'round_robin',
    } as ServerFrame);
    t.same([s.status, s.agent?.name, s.queue, s.backlog], ['assigned', 'Alice', undefined, undefined]);
    s = run(
      [
        { type: 'resolved', conversationId: c, seq: 6, at, by: { role: 'agent', id: 'alice' } } as ServerFrame,
        msg(7, 'system', 'How did we do?', { auto: 'survey' }),
      ],
      s,
    );
    t.ok(surveyOpen(s), 'the survey is offered');
    t.notOk(surveyOpen({ ...s, rated: 5 }), 'until answered');
  },
);

t.test(
  "CONV-2: the agent's read mark (a transient event whose seq is a read mark) and typing; unread counts the team's messages after the visitor's mark",
  async (t) => {
    let s = run([msg(2, 'visitor', 'hi'), msg(3, 'agent', 'hello'), msg(4, 'system', 'auto')]);
    t.equal(unreadCount(s), 2);
    s = applyEvent(s, { type: 'read', conversationId: c, by: { role: 'agent', id: 'alice' }, seq: 2 } as ServerFrame);
    t.equal(s.agentRead, 2, "a read mark at or below the last seq shown still moves the agent's mark");
    t.equal(
      applyEvent(s, { type: 'read', conversationId: c, by: { role: 'agent', id: 'alice' }, seq: 1 } as ServerFrame),
      s,
      'a mark never moves back',
    );
    s = applyEvent(s, {
      type: 'typing',
      conversationId: c,
      from: { role: 'agent', id: 'alice' },
      typing: true,
    } as ServerFrame);
    t.ok(s.agentTyping);
    s = applyEvent(s, msg(5, 'agent', 'answer'));
    t.notOk(s.agentTyping, "the agent's message ends the indicator");
    t.equal(unreadCount({ ...s, visitorRead: 4 }), 1);
  },
);
