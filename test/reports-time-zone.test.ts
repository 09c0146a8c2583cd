/**
 * MON-2: reports by the local days of a time zone. Conversations are
 * created around local midnights of a DST day on the virtual clock; which
 * day holds each is worked out by hand from the zone's offsets: Europe/Berlin
 * goes from +01:00 to +02:00 at 01:00 UTC on 2026-03-29 (a 23-hour day),
 * America/New_York from -04:00 to -05:00 at 06:00 UTC on 2026-11-01 (a
 * 25-hour day), and Asia/Kolkata is +05:30 all year (no whole hour).
 */
import t from 'tap';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { api } from './support/api.js';
import { createStaffWithToken } from './support/staff.js';
import { VirtualClock } from '../actors/clock.js';

const H = 3_600_000;

interface Point {
  start: string;
  local: string;
  received: number;
}
interface Body {
  range: { from: string; to: string; timeZone: string; edgesMoved: boolean };
  total: { received: number };
  series: { bucket: string; points: Point[] };
}

/** Opens a conversation in pre-sales at each of `times` (ISO, in order), the clock moved to each. */
async function createdAt(s: TestServer, clock: VirtualClock, times: string[]): Promise<void> {
  for (const at of times) {
    await clock.advance(Date.parse(at) - clock.now());
    await openConversation(s, { department: 'pre-sales', text: 'hi' });
  }
}

const adminOf = async (s: TestServer) => {
  // A day of virtual time outlives the demo tokens: a fresh admin reads.
  const token = await createStaffWithToken(s.server.directory, {
    id: 'zed',
    name: 'Zed',
    role: 'admin',
    departments: [],
  });
  return async (path: string) => {
    const r = await api(s, token, 'get', path);
    return { status: r.status, body: r.body as unknown as Body, error: r.body.error };
  };
};

t.test('MON-2: a day is the local day of the time zone asked for; DST days have 23 and 25 hours', async (t) => {
  const clock = new VirtualClock(Date.parse('2026-03-28T22:00:00Z'));
  const s = await startTestServer(t, { clock, autoMessages: false });
  // Berlin local times: 23:30 on the 28th; 00:30 on the 29th (twice); 23:30 on the 29th (CEST); 00:30 on the 30th.
  await createdAt(s, clock, [
    '2026-03-28T22:30:00Z',
    '2026-03-28T23:30:00Z',
    '2026-03-28T23:30:00Z',
    '2026-03-29T21:30:00Z',
    '2026-03-29T22:30:00Z',
  ]);
  const get = await adminOf(s);

  const berlin = await get('/reports/summary?from=2026-03-29&to=2026-03-29&timeZone=Europe/Berlin');
  t.equal(berlin.status, 200);
  t.same(
    berlin.body.range,
    { from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z', timeZone: 'Europe/Berlin', edgesMoved: false },
    'the Berlin day of the spring change: 23:00 to 22:00 UTC',
  );
  t.equal(berlin.body.total.received, 3, 'two at 00:30 and one at 23:30 local; not 23:30 of the day before');
  t.equal(berlin.body.series.bucket, 'hour');
  t.equal(berlin.body.series.points.length, 23, 'a 23-hour day');
  t.same(
    berlin.body.series.points.slice(0, 3).map((p) => p.local),
    ['2026-03-29T00:00', '2026-03-29T01:00', '2026-03-29T03:00'],
    'local hours, 02:00 skipped',
  );
  t.match(berlin.body.series.points[0], { start: '2026-03-28T23:00:00.000Z', received: 2 });
  t.match(berlin.body.series.points[22], { start: '2026-03-29T21:00:00.000Z', local: '2026-03-29T23:00', received: 1 });

  const utc = await get('/reports/summary?from=2026-03-29&to=2026-03-29');
  t.equal(utc.body.range.timeZone, 'UTC', 'the server default is UTC');
  t.equal(utc.body.total.received, 2, 'the UTC day holds 21:30 and 22:30 of the 29th only');

  const days = await get('/reports/summary?from=2026-03-27&to=2026-03-31&timeZone=europe/berlin');
  t.equal(days.body.range.timeZone, 'Europe/Berlin', 'the zone in its canonical spelling');
  t.equal(days.body.series.bucket, 'day');
  t.same(
    days.body.series.points.map((p) => [p.start, p.local, p.received]),
    [
      ['2026-03-26T23:00:00.000Z', '2026-03-27', 0],
      ['2026-03-27T23:00:00.000Z', '2026-03-28', 1],
      ['2026-03-28T23:00:00.000Z', '2026-03-29', 3],
      ['2026-03-29T22:00:00.000Z', '2026-03-30', 1],
      ['2026-03-30T22:00:00.000Z', '2026-03-31', 0],
    ],
    'day buckets follow local midnights across the change',
  );

  const ny = await get('/reports/summary?from=2026-11-01&to=2026-11-01&timeZone=America/New_York');
  t.same(ny.body.range, {
    from: '2026-11-01T04:00:00.000Z',
    to: '2026-11-02T05:00:00.000Z',
    timeZone: 'America/New_York',
    edgesMoved: false,
  });
  t.equal(ny.body.series.points.length, 25, 'the autumn change: a 25-hour day');
  t.same(
    ny.body.series.points.slice(0, 3).map((p) => p.local),
    ['2026-11-01T00:00', '2026-11-01T01:00', '2026-11-01T01:00'],
    '01:00 comes twice',
  );

  // +05:30: local midnight 18:30 UTC is moved to the nearest hour, the earlier one on a tie (18:00).
  const kolkata = await get('/reports/summary?from=2026-03-29&to=2026-03-29&timeZone=Asia/Kolkata');
  t.same(kolkata.body.range, {
    from: '2026-03-28T18:00:00.000Z',
    to: '2026-03-29T18:00:00.000Z',
    timeZone: 'Asia/Kolkata',
    edgesMoved: true,
  });
  t.equal(kolkata.body.total.received, 3, '22:30 and twice 23:30 UTC of the 28th are the 29th in Kolkata');
  t.equal(kolkata.body.series.points[0]?.local, '2026-03-28T23:30', 'hours labelled in local time');

  for (const zone of ['Mars/Olympus', 'UTC+5', '../etc'])
    t.match(
      await get(`/reports/summary?from=2026-03-29&to=2026-03-29&timeZone=${encodeURIComponent(zone)}`),
      { status: 400, error: { code: 'invalid_range', field: 'timeZone' } },
      `${zone}: refused`,
    );
});

t.test('MON-2: --report-time-zone sets the default zone; a request may ask for another', async (t) => {
  const clock = new VirtualClock(Date.parse('2026-03-28T22:00:00Z'));
  const s = await startTestServer(t, { clock, autoMessages: false, reportTimeZone: 'Asia/Shanghai' });
  const get = await adminOf(s);
  const day = await get('/reports/summary?from=2026-03-29&to=2026-03-29');
  t.same(day.body.range, {
    from: '2026-03-28T16:00:00.000Z',
    to: '2026-03-29T16:00:00.000Z',
    timeZone: 'Asia/Shanghai',
    edgesMoved: false,
  });
  const utc = await get('/reports/summary?from=2026-03-29&to=2026-03-29&timeZone=UTC');
  t.equal(utc.body.range.from, '2026-03-29T00:00:00.000Z');
  t.equal(24 * H, Date.parse(utc.body.range.to) - Date.parse(utc.body.range.from));
  const csv = await fetch(
    `http://127.0.0.1:${s.server.port}/api/v1/reports/summary.csv?from=2026-03-29&to=2026-03-29&timeZone=Nowhere/Else`,
    { headers: { authorization: `Bearer ${s.cred('admin').token}` } },
  );
  t.equal(csv.status, 400, 'the CSV routes check the zone too');
});
