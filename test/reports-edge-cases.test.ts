/**
 * MON-2: edge cases of the report figures on a hand-built virtual-clock
 * morning: an agent in two departments (figures split by the conversation's
 * department, the agent's row their sum; occupancy the agent's in each
 * department and once in the total), a reopened conversation (not received
 * again, a second cycle for the rest), and an agent online across a restart.
 * Transfers between departments and conversations that span a range edge are
 * in reports-figures.test.ts. Every figure is worked out by hand below.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, tempDataDir } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { newAgent } from './support/routing.js';
import { api } from './support/api.js';
import { createStaffWithToken } from './support/staff.js';
import type { Frame } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import { restoreStore } from '../src/store/restore.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const S = 1000;
const DAY = 'from=2026-11-23&to=2026-11-23';

const assigned = (conversationId: string) => (e: Frame) => e.type === 'assigned' && e.conversationId === conversationId;

interface Fig {
  received: number;
  assigned: number;
  resolved: number;
  handleMs: { mean: number | null; count: number };
  firstResponseMs: { mean: number | null; count: number };
  occupancy: number | null;
  onlineMs: number;
}
interface Body {
  total: Fig;
  departments: { id: string; figures: Fig }[];
  agents: { id: string; figures: Fig }[];
}

/**
 * Seconds after 10:00 UTC. Dee (2 slots) serves pre-sales and after-sales, online from 0.
 *   C1 pre-sales: created and assigned 0; Dee writes 40 (first response 40 s); resolved 100 (handle 100 s).
 *   C2 after-sales: created and assigned 10; Dee writes 70 (60 s); resolved 400 (handle 390 s).
 *   C1 again: the customer writes at 500: reopened and assigned to Dee (wait 0); Dee writes 530 (30 s);
 *     resolved 600 (handle 100 s).
 * Slots held: C1 0–100, C2 10–400, C1 500–600: 100 + 390 + 100 = 590 slot-s.
 * At 600, just after the last resolve, Dee is online: online 0–600, 1200 slot-s offered. The server then
 * stops gracefully at 700 with Dee still online: online 0–700, 1400 slot-s offered.
 */
const DEE = {
  assigned: 3,
  resolved: 3,
  handleMs: { mean: ((100 + 390 + 100) * S) / 3, count: 3 },
  firstResponseMs: { mean: ((40 + 60 + 30) * S) / 3, count: 3 },
  occupancy: 590 / 1200,
  onlineMs: 600 * S,
};
/** Dee's presence figures once the server stopped at 700 s with her online. */
const AT_STOP = { occupancy: 590 / 1400, onlineMs: 700 * S };

t.test('MON-2: an agent in two departments, a reopened conversation, and occupancy across a restart', async (t) => {
  const clock = new VirtualClock(T0);
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const s = await startTestServer(t, { clock, dataDir, keepData: true, autoMessages: false });
  const dee = await newAgent(s, {
    id: 'dee',
    name: 'Dee',
    departments: ['pre-sales', 'after-sales'],
    maxConcurrent: 2,
  });
  await dee.ok({ type: 'status', status: 'online' });
  const c1 = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  await dee.waitFor(assigned(c1.conversationId));
  await clock.advance(10 * S);
  const c2 = await openConversation(s, { department: 'after-sales', text: 'broken' });
  await dee.waitFor(assigned(c2.conversationId));
  await clock.advance(30 * S);
  await dee.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'd1', text: 'hello' });
  await clock.advance(30 * S);
  await dee.ok({ type: 'send', conversationId: c2.conversationId, clientMsgId: 'd2', text: 'sorry' });
  await clock.advance(30 * S);
  await dee.ok({ type: 'resolve', conversationId: c1.conversationId });
  await clock.advance(300 * S);
  await dee.ok({ type: 'resolve', conversationId: c2.conversationId });
  await clock.advance(100 * S);
  const seen = dee.events.length;
  await c1.v.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'v2', text: 'one more thing' });
  await c1.v.waitFor((e) => e.type === 'reopened');
  await dee.waitFor((e) => assigned(c1.conversationId)(e) && dee.events.indexOf(e) >= seen);
  await clock.advance(30 * S);
  await dee.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'd3', text: 'sure' });
  await clock.advance(70 * S);
  await dee.ok({ type: 'resolve', conversationId: c1.conversationId });

  const read = async (server: typeof s): Promise<Body> => {
    const token = await createStaffWithToken(server.server.directory, {
      id: `boss${Math.floor(Math.random() * 1e9)}`,
      name: 'Boss',
      role: 'admin',
      departments: [],
    });
    return (await api(server, token, 'get', `/reports/summary?${DAY}`)).body as unknown as Body;
  };
  const check = (t: Test, b: Body, presence: { occupancy: number; onlineMs: number }) => {
    const dept = (id: string) => b.departments.find((d) => d.id === id)!.figures;
    t.match(
      dept('pre-sales'),
      {
        received: 1,
        assigned: 2,
        resolved: 2,
        handleMs: { mean: 100 * S, count: 2 },
        firstResponseMs: { mean: ((40 + 30) * S) / 2, count: 2 },
        ...presence,
      },
      'pre-sales: C1 received once, two cycles; occupancy is that of Dee, who serves it',
    );
    t.match(
      dept('after-sales'),
      {
        received: 1,
        assigned: 1,
        resolved: 1,
        handleMs: { mean: 390 * S, count: 1 },
        firstResponseMs: { mean: 60 * S, count: 1 },
        ...presence,
      },
      'after-sales: C2',
    );
    t.match(
      b.agents.find((a) => a.id === 'dee')?.figures,
      { ...DEE, ...presence },
      "Dee's row: the sum of both departments",
    );
    t.match(
      b.total,
      { received: 2, ...DEE, ...presence },
      'the total: occupancy and online time of Dee once, not once per department',
    );
  };
  check(t, await read(s), { occupancy: DEE.occupancy, onlineMs: DEE.onlineMs });

  await clock.advance(100 * S);
  // A graceful stop at 700 s with Dee online closes her interval at the stop: the time the server ran
  // counts, the time it was down does not (docs/reports.md).
  await s.stop();
  const again = await startTestServer(t, { clock, dataDir, keepData: true, autoMessages: false });
  await clock.advance(3000 * S);
  check(t, await read(again), AT_STOP);
});

t.test(
  'MON-2: an agent online through a quiet stretch keeps that online time across a crash, to the last minute mark',
  async (t) => {
    const clock = new VirtualClock(T0);
    const s = await startTestServer(t, { clock, autoMessages: false });
    const eve = await newAgent(s, { id: 'eve', name: 'Eve', departments: ['pre-sales'], maxConcurrent: 2 });
    await eve.ok({ type: 'status', status: 'online' });
    // Nothing happens for 10.5 minutes; the server marks itself alive each minute meanwhile.
    await clock.advance(630 * S);
    // A crash leaves on disk what had committed: a consistent copy taken now is that state, with Eve's interval open.
    const work = mkdtempSync(join(tmpdir(), 'switchboard-crash-copy-'));
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const file = join(work, 'copy.mdb');
    await s.server.store.flush();
    await s.server.store.backup(file);
    const dataDir = join(work, 'after-crash');
    restoreStore(file, dataDir);
    const again = await startTestServer(t, { clock, dataDir, keepData: true, demo: false, autoMessages: false });
    await clock.advance(3000 * S);
    const token = await createStaffWithToken(again.server.directory, {
      id: 'boss',
      name: 'Boss',
      role: 'admin',
      departments: [],
    });
    const b = (await api(again, token, 'get', `/reports/summary?${DAY}`)).body as unknown as Body;
    t.match(
      b.agents.find((a) => a.id === 'eve')?.figures,
      { onlineMs: 600 * S, occupancy: 0 },
      'online until the last minute mark (10:10), not until the last event (10:00) nor through the downtime',
    );
  },
);
