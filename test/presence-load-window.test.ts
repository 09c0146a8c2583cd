/**
 * MON-2 occupancy, issue 15: an agent's load changes go to its presence
 * stream a second after the first of them, together, with the slot-ms held
 * over the interval they close; never past the hour's end. Worked out by
 * hand on a virtual clock two seconds before an hour edge, and read back
 * from the stream and from the reports API.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { newAgent } from './support/routing.js';
import { api } from './support/api.js';
import { createStaffWithToken } from './support/staff.js';
import type { Frame } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import { presenceStream, type PresenceEvent } from '../actors/agent/presence.js';

const T0 = Date.parse('2026-11-23T10:59:58Z');
const H11 = Date.parse('2026-11-23T11:00:00Z');

const assigned = (conversationId: string) => (e: Frame) => e.type === 'assigned' && e.conversationId === conversationId;

interface Fig {
  occupancy: number | null;
  onlineMs: number;
}

t.test(
  'MON-2: load changes within a second are one presence event with the slot-ms they held; occupancy stays exact across the hour edge',
  async (t) => {
    const clock = new VirtualClock(T0);
    const s = await startTestServer(t, { clock, autoMessages: false });
    const ann = await newAgent(s, { id: 'ann', name: 'Ann', departments: ['pre-sales'], maxConcurrent: 3 });
    await ann.ok({ type: 'status', status: 'online' });
    const open = async () => {
      const c = await openConversation(s, { department: 'pre-sales', text: 'hi' });
      await ann.waitFor(assigned(c.conversationId));
      return c.conversationId;
    };
    const resolve = (conversationId: string) => ann.ok({ type: 'resolve', conversationId });

    // 10:59:58.0 c1 (load 1), .3 c2 (2), .7 c1 resolved (1): due at 10:59:59.0.
    const c1 = await open();
    await clock.advance(300);
    const c2 = await open();
    await clock.advance(400);
    await resolve(c1);
    await clock.advance(800);
    // 10:59:59.5 c3 (2), .8 c2 resolved (1): due at the hour's end, not a second later.
    const c3 = await open();
    await clock.advance(300);
    await resolve(c2);
    await clock.advance(5200);
    // 11:00:05 c3 resolved (0): due at 11:00:06.
    await resolve(c3);
    await clock.advance(5000);
    await s.server.store.flush();

    const stream = presenceStream('ann');
    const events = [...s.server.store.read<PresenceEvent>(stream, 1)].map((e) => e.event);
    t.same(
      events.map((e) => ({ at: e.at - T0, active: e.active, heldMs: e.heldMs })),
      [
        { at: 0, active: 0, heldMs: undefined },
        { at: 1000, active: 1, heldMs: 1 * 300 + 2 * 400 + 1 * 300 },
        { at: H11 - T0, active: 1, heldMs: 1 * 500 + 2 * 300 + 1 * 200 },
        { at: H11 - T0 + 6000, active: 0, heldMs: 1 * 5000 + 0 * 1000 },
      ],
      'four events for one status change and six load changes',
    );

    const token = await createStaffWithToken(s.server.directory, {
      id: 'boss',
      name: 'Boss',
      role: 'admin',
      departments: [],
    });
    const figures = async (from: string, to: string): Promise<Fig> => {
      const b = (await api(s, token, 'get', `/reports/summary?from=${from}&to=${to}`)).body as unknown as {
        agents: { id: string; figures: Fig }[];
      };
      return b.agents.find((a) => a.id === 'ann')!.figures;
    };
    const ten = await figures('2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z');
    t.equal(ten.onlineMs, 2000, '10:00 hour: online its last two seconds');
    t.ok(
      Math.abs((ten.occupancy ?? 0) - 2700 / 6000) < 1e-12,
      `10:00 hour: 2,700 of 6,000 slot-ms held (${ten.occupancy})`,
    );
    const eleven = await figures('2026-11-23T11:00:00Z', '2026-11-23T12:00:00Z');
    t.equal(eleven.onlineMs, 10_000, '11:00 hour: online until now, ten seconds');
    t.ok(
      Math.abs((eleven.occupancy ?? 0) - 5000 / 30_000) < 1e-12,
      `11:00 hour: 5,000 of 30,000 slot-ms held (${eleven.occupancy})`,
    );
  },
);

t.test('MON-2: a status change journals the load changes held back at once, with the slot-ms they held', async (t) => {
  const clock = new VirtualClock(T0);
  const s = await startTestServer(t, { clock, autoMessages: false });
  const bea = await newAgent(s, { id: 'bea', name: 'Bea', departments: ['pre-sales'], maxConcurrent: 2 });
  await bea.ok({ type: 'status', status: 'online' });
  const c = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  await bea.waitFor(assigned(c.conversationId));
  await clock.advance(400);
  await bea.ok({ type: 'status', status: 'away' });
  await clock.advance(2000);
  await s.server.store.flush();
  const events = [...s.server.store.read<PresenceEvent>(presenceStream('bea'), 1)].map((e) => e.event);
  t.same(
    events.map((e) => ({ at: e.at - T0, online: e.online, active: e.active, heldMs: e.heldMs })),
    [
      { at: 0, online: true, active: 0, heldMs: undefined },
      { at: 400, online: false, active: 1, heldMs: 400 },
    ],
    'away at 0.4 s: one event, 400 slot-ms held, and no event when the second is over',
  );
});
