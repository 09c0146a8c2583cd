/**
 * MON-1 (with SUP-1, ROLE-4): the live department monitor over real
 * WebSockets on the virtual clock. Frames go out once per coalescing window
 * (FLUSH_MS of virtual time), so each step makes its changes, lets the
 * reports reach the monitor, advances the clock one window and reads the
 * frame.
 *
 * Demo workspace: alice (agent, pre-sales), bob (agent, after-sales), carol
 * (supervisor of both), admin.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { onlineAgent, openConversation, servedConversation } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { createStaffWithToken } from './support/staff.js';
import { configure } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';
import { FLUSH_MS } from '../actors/floor/behavior.js';
import type { DepartmentDelta, DepartmentFigures, MonitoredAgent } from '../protocol/frames.js';

/** Real time for reports and frames in flight to arrive; virtual time does not move. */
const pause = (ms = 80) => new Promise((r) => setTimeout(r, ms));

const framesOf = (c: TestClient): Frame[] => c.events.filter((e) => e.type === 'department_monitor');
const deltasOf = (f: Frame): DepartmentDelta[] => f.departments as DepartmentDelta[];
const figuresOf = (ack: Record<string, unknown>): DepartmentFigures[] => ack.departments as DepartmentFigures[];
const agentIn = (d: { agents: MonitoredAgent[] } | undefined, id: string) => d?.agents.find((a) => a.agentId === id);

/** The latest delta of `department` a client has received. */
function latest(c: TestClient, department: string): DepartmentDelta | undefined {
  const all = framesOf(c).flatMap(deltasOf);
  return all.filter((d) => d.department === department).at(-1);
}

/** Lets the reports reach the monitor, runs one coalescing window, and waits for the frames it sent. */
async function window(clock: VirtualClock): Promise<void> {
  await pause();
  await clock.advance(FLUSH_MS);
  await pause();
}

async function supervisorOf(s: TestServer, id: string, departments: string[]): Promise<TestClient> {
  const token = await createStaffWithToken(s.server.directory, { id, name: id, role: 'supervisor', departments });
  const c = await TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);
  return c;
}

const watchers = (s: TestServer) => s.server.directory.deps.runtime.ask(s.server.directory.floor, { type: 'watchers' });

t.test(
  'MON-1 SUP-1 ROLE-4: a supervisor monitors only their departments, an admin all, an agent is refused with forbidden',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = await onlineAgent(s, 'alice');
    const sam = await supervisorOf(s, 'sam', ['after-sales']);
    t.teardown(() => sam.close());

    const samAck = await sam.ok({ type: 'monitor_departments' });
    t.same(
      figuresOf(samAck).map((d) => d.department),
      ['after-sales'],
      'a supervisor of after-sales gets only after-sales',
    );
    t.match(
      await sam.command({ type: 'monitor_departments', departments: ['pre-sales'] }),
      { type: 'error', code: 'not_found', field: 'departments.0' },
      'and cannot ask for pre-sales',
    );
    const refused = await alice.command({ type: 'monitor_departments' });
    t.match(refused, { type: 'error', code: 'forbidden' }, 'ROLE-4: an agent is refused with the stable code');

    const carol = await s.staff('carol');
    const carolAck = await carol.ok({ type: 'monitor_departments' });
    t.same(
      figuresOf(carolAck)
        .map((d) => d.department)
        .sort(),
      ['after-sales', 'pre-sales'],
      'carol leads both',
    );
    t.match(
      agentIn(
        figuresOf(carolAck).find((d) => d.department === 'pre-sales'),
        'alice',
      ),
      { agentId: 'alice', name: 'Alice', status: 'online', active: 0, max: 5 },
      'the ack holds whole figures: alice online, 0 of 5',
    );
    const admin = await s.staff('admin');
    const adminAck = await admin.ok({ type: 'monitor_departments' });
    t.same(
      figuresOf(adminAck)
        .map((d) => d.department)
        .sort(),
      ['after-sales', 'pre-sales'],
      'an admin sees all',
    );
    t.equal(await watchers(s), 3, 'three connections watch');

    // A pre-sales change reaches carol and the admin, not sam.
    await alice.ok({ type: 'status', status: 'away' });
    await window(clock);
    t.equal(agentIn(latest(carol, 'pre-sales'), 'alice')?.status, 'away', 'carol sees alice go away');
    t.equal(agentIn(latest(admin, 'pre-sales'), 'alice')?.status, 'away', 'so does the admin');
    t.equal(framesOf(sam).length, 0, 'sam gets no frame about pre-sales');
    t.equal(framesOf(alice).length, 0, 'the refused agent gets nothing');

    t.same(await carol.ok({ type: 'unmonitor_departments' }), { watching: true });
    await alice.ok({ type: 'status', status: 'online' });
    await window(clock);
    t.equal(agentIn(latest(carol, 'pre-sales'), 'alice')?.status, 'away', 'after unmonitor carol hears nothing more');
    t.equal(agentIn(latest(admin, 'pre-sales'), 'alice')?.status, 'online', 'the admin still does');
  },
);

t.test(
  'MON-1: the figures right after a queue entry, an assignment, a status change and a resolve; a late subscriber gets them whole',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const carol = await s.staff('carol');
    await carol.ok({ type: 'monitor_departments' });

    // Nobody of after-sales is online: the customer waits.
    await clock.advance(1_000);
    const bobWas = clock.now();
    const waiting = await openConversation(s, { department: 'after-sales', text: 'my parcel is late' });
    await waiting.v.waitFor((e) => e.type === 'queued');
    await window(clock);
    t.match(
      latest(carol, 'after-sales'),
      { queueLength: 1, backlog: 0, oldestQueuedAt: bobWas, activeConversations: 0, assignedToday: 0 },
      'a queue entry: the line is 1 long',
    );
    const queued = framesOf(carol).at(-1)!;
    t.equal(
      latest(carol, 'after-sales')?.longestWaitMs,
      (queued.at as number) - bobWas,
      'the longest wait is counted from the entry to the time of the frame',
    );

    // bob comes online (a status change) and takes it from the queue (an assignment).
    const bob = await onlineAgent(s, 'bob');
    await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === waiting.conversationId);
    await window(clock);
    const after = latest(carol, 'after-sales');
    t.match(
      after,
      { queueLength: 0, longestWaitMs: 0, activeConversations: 1, assignedToday: 1, resolvedToday: 0 },
      'an assignment: the line is empty, one conversation served, one assignment today',
    );
    t.notOk(after && 'oldestQueuedAt' in after, 'nobody waits');
    t.match(agentIn(after, 'bob'), { status: 'online', active: 1, max: 5 }, 'bob is online with 1 of 5');

    await bob.ok({ type: 'status', status: 'busy' });
    await window(clock);
    t.match(agentIn(latest(carol, 'after-sales'), 'bob'), { status: 'busy', active: 1 }, 'a status change');

    await bob.ok({ type: 'resolve', conversationId: waiting.conversationId });
    await window(clock);
    t.match(
      latest(carol, 'after-sales'),
      { activeConversations: 0, assignedToday: 1, resolvedToday: 1 },
      'a resolve: nothing active, one resolved today',
    );
    t.equal(agentIn(latest(carol, 'after-sales'), 'bob')?.active, 0, 'bob has a free slot again');

    const framesBefore = framesOf(carol).length;
    await window(clock);
    t.equal(framesOf(carol).length, framesBefore, 'a window without changes sends nothing');

    const admin = await s.staff('admin');
    const whole = figuresOf(await admin.ok({ type: 'monitor_departments' })).find(
      (d) => d.department === 'after-sales',
    );
    t.match(
      whole,
      { name: 'After-sales', queueLength: 0, activeConversations: 0, assignedToday: 1, resolvedToday: 1 },
      'a late subscriber gets the figures whole in the ack',
    );
    t.match(agentIn(whole, 'bob'), { status: 'busy', active: 0 }, 'with every agent');
  },
);

t.test('MON-1 SUP-1: a transfer between departments moves the conversation on both walls', async (t) => {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock });
  const alice = await onlineAgent(s, 'alice');
  const bob = await onlineAgent(s, 'bob');
  const { conversationId } = await servedConversation(s, alice, {
    department: 'pre-sales',
    text: 'a question about my order',
  });
  const carol = await s.staff('carol');
  const ack = figuresOf(await carol.ok({ type: 'monitor_departments' }));
  t.match(
    ack.find((d) => d.department === 'pre-sales'),
    { activeConversations: 1, assignedToday: 1 },
  );

  // carol leads both departments, so she may move it across.
  await carol.resumeAll(conversationId, 0);
  await carol.ok({ type: 'transfer', conversationId, to: { department: 'after-sales' }, note: 'a refund' });
  await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  await window(clock);
  t.match(
    latest(carol, 'pre-sales'),
    { activeConversations: 0, assignedToday: 1 },
    'pre-sales serves it no more; its assignment today stays counted',
  );
  t.equal(agentIn(latest(carol, 'pre-sales'), 'alice')?.active, 0, 'alice is free');
  t.match(
    latest(carol, 'after-sales'),
    { activeConversations: 1, assignedToday: 1 },
    'after-sales serves it and counts the assignment',
  );
  t.equal(agentIn(latest(carol, 'after-sales'), 'bob')?.active, 1, 'bob has it');
});

t.test(
  'MON-1: changes are coalesced on the virtual clock: 100 changes within one window make one frame with the final figures',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = await onlineAgent(s, 'alice');
    const carol = await s.staff('carol');
    await carol.ok({ type: 'monitor_departments' });

    for (let i = 0; i < 100; i++) await alice.ok({ type: 'status', status: i % 2 === 0 ? 'away' : 'busy' });
    await pause();
    t.equal(framesOf(carol).length, 0, 'nothing goes out before the window ends');
    await window(clock);
    t.equal(framesOf(carol).length, 1, 'one frame for the window');
    const [only] = deltasOf(framesOf(carol)[0]!);
    t.equal(deltasOf(framesOf(carol)[0]!).length, 1, 'with the one department that changed');
    t.match(only, { department: 'pre-sales' });
    t.same(
      only?.agents,
      [{ agentId: 'alice', name: 'Alice', status: 'busy', active: 0, max: 5 }],
      'alice as she is now',
    );

    // A busy floor for several windows: never more than one frame per window.
    const before = framesOf(carol).length;
    for (let w = 0; w < 4; w++) {
      for (let i = 0; i < 10; i++) await alice.ok({ type: 'status', status: i % 2 === 0 ? 'online' : 'away' });
      await window(clock);
    }
    t.equal(framesOf(carol).length - before, 4, 'four windows, four frames');
  },
);

t.test(
  "MON-1: the day's counts start again at the department's midnight (its business-hours zone, else UTC)",
  async (t) => {
    // 23:59 in Shanghai (UTC+8), 15:59 UTC.
    const clock = new VirtualClock(Date.UTC(2026, 0, 1, 15, 59));
    const s = await startTestServer(t, { clock });
    const allDay: [string, string][] = [['00:00', '24:00']];
    await configure(s, 'pre-sales', {
      hours: {
        timeZone: 'Asia/Shanghai',
        weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      },
    });
    const alice = await onlineAgent(s, 'alice');
    const bob = await onlineAgent(s, 'bob');
    const a = await servedConversation(s, alice, { department: 'pre-sales', text: 'a price' });
    await alice.ok({ type: 'resolve', conversationId: a.conversationId });
    const b = await servedConversation(s, bob, { department: 'after-sales', text: 'late parcel' });
    await bob.ok({ type: 'resolve', conversationId: b.conversationId });
    await pause();

    const carol = await s.staff('carol');
    const byId = (ack: Record<string, unknown>, id: string) => figuresOf(ack).find((d) => d.department === id);
    const first = await carol.ok({ type: 'monitor_departments' });
    t.match(byId(first, 'pre-sales'), { day: '2026-01-01', assignedToday: 1, resolvedToday: 1 }, 'pre-sales, local');
    t.match(byId(first, 'after-sales'), { day: '2026-01-01', assignedToday: 1, resolvedToday: 1 }, 'after-sales, UTC');

    await clock.advance(60_000);
    await window(clock);
    t.match(
      latest(carol, 'pre-sales'),
      { day: '2026-01-02', assignedToday: 0, resolvedToday: 0 },
      "Shanghai's midnight starts pre-sales' day afresh, pushed without any other change",
    );
    t.notOk(latest(carol, 'after-sales'), 'after-sales, on UTC, has not changed');

    await clock.advance(8 * 3_600_000);
    await window(clock);
    t.match(latest(carol, 'after-sales'), { day: '2026-01-02', assignedToday: 0, resolvedToday: 0 }, 'UTC midnight');
  },
);

t.test('MON-1: a subscriber whose connection closes is dropped', async (t) => {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock });
  const alice = await onlineAgent(s, 'alice');
  const carol = await s.staff('carol');
  const admin = await s.staff('admin');
  await carol.ok({ type: 'monitor_departments' });
  await admin.ok({ type: 'monitor_departments', departments: ['pre-sales'] });
  t.equal(await watchers(s), 2);

  await carol.close();
  await pause();
  await alice.ok({ type: 'status', status: 'away' });
  await window(clock);
  t.equal(await watchers(s), 1, 'only the admin still watches');
  t.equal(agentIn(latest(admin, 'pre-sales'), 'alice')?.status, 'away', 'and still gets frames');
  t.equal(framesOf(carol).length, 0, 'the closed connection got none');
});

t.test(
  "MON-1: the day's counts survive a restart; the active conversations are rebuilt from the open records",
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    let clock = new VirtualClock();
    let s = await startTestServer({ clock, dataDir, keepData: true });
    const alice = await onlineAgent(s, 'alice');
    const done = await servedConversation(s, alice, { department: 'pre-sales', text: 'first question' });
    await alice.ok({ type: 'resolve', conversationId: done.conversationId });
    await servedConversation(s, alice, { department: 'pre-sales', text: 'second question' });
    await pause();
    await s.stop();

    clock = new VirtualClock(clock.now() + 60_000);
    s = await startTestServer({ clock, dataDir, keepData: true });
    t.teardown(() => s.stop());
    // Demo passwords are only shown on the first start: a supervisor made now.
    const sam = await supervisorOf(s, 'sam', ['pre-sales']);
    t.teardown(() => sam.close());
    const whole = figuresOf(await sam.ok({ type: 'monitor_departments' }))[0];
    t.match(
      whole,
      { department: 'pre-sales', assignedToday: 2, resolvedToday: 1, activeConversations: 1 },
      'two assignments and one resolve today, one conversation still served',
    );
    t.match(agentIn(whole, 'alice'), { status: 'offline', active: 1 }, 'alice has not come back yet, and keeps it');
  },
);
