/**
 * WEB-6 MON-2 in Chromium against a real server: the reports page. A day is
 * built through the real protocol on the virtual clock; every figure the
 * page must show is worked out by hand below from the script's times, and
 * the CSV the page downloads must hold the same figures. The page's clock
 * is fixed at the server's virtual time, so "today" is the built day.
 */
import t from 'tap';
import { waitForText } from './support/widget-page.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot } from './support/browser.js';
import { startTestServer, type TestServer } from './support/server.js';
import { openAdmin, goTo } from './support/admin-page.js';
import { openConversation } from './support/conversations.js';
import { newAgent } from './support/routing.js';
import { apiAs } from './support/api.js';
import type { Frame } from './support/client.js';
import { desktop } from './support/console-page.js';
import { VirtualClock } from '../actors/clock.js';
import { defaultWebDir } from '../src/server/static/web-assets.js';
import type { WebManifest } from '../src/build/manifest.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const S = 1000;
const DAY = '2026-11-23';
const group = 'reports-page';

const assigned = (conversationId: string) => (e: Frame) => e.type === 'assigned' && e.conversationId === conversationId;

/**
 * The day (seconds after 10:00 UTC); Ann serves pre-sales, Ben after-sales:
 *   C1 pre-sales: created 0, assigned to Ann at once (wait 0); Ann writes at 45 (first response 45 s, from
 *      created 45 s, response 45 s); resolved at 300 (handle 300 s); rated 5.
 *   C2 after-sales: created 300, assigned to Ben at once; Ben writes at 330 (30 s); resolved at 900 (handle
 *      600 s); rated 3.
 *   C3 pre-sales: Ann is away; created 900, queued; the customer leaves at 960: abandoned.
 *   C4 pre-sales: created 1000, queued; Ann online at 1030 takes it (wait 30 s); writes at 1040 (first
 *      response 10 s, from created 40 s, response 40 s); resolved at 3700 = 11:01:40 (handle 2670 s); no rating.
 */
async function theDay(s: TestServer, clock: VirtualClock): Promise<Record<string, string>> {
  const ann = await newAgent(s, { id: 'ann', name: 'Ann', departments: ['pre-sales'] });
  const ben = await newAgent(s, { id: 'ben', name: 'Ben', departments: ['after-sales'] });
  await ann.ok({ type: 'status', status: 'online' });
  await ben.ok({ type: 'status', status: 'online' });

  const c1 = await openConversation(s, { department: 'pre-sales', text: 'hello' });
  await ann.waitFor(assigned(c1.conversationId));
  await clock.advance(45 * S);
  await ann.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'a1', text: 'Hi, Ann here' });
  await clock.advance(255 * S);
  await ann.ok({ type: 'resolve', conversationId: c1.conversationId });
  await c1.v.ok({ type: 'rate', conversationId: c1.conversationId, score: 5 });

  const c2 = await openConversation(s, { department: 'after-sales', text: 'my parcel' });
  await ben.waitFor(assigned(c2.conversationId));
  await clock.advance(30 * S);
  await ben.ok({ type: 'send', conversationId: c2.conversationId, clientMsgId: 'b1', text: 'looking' });
  await clock.advance(570 * S);
  await ben.ok({ type: 'resolve', conversationId: c2.conversationId });
  await c2.v.ok({ type: 'rate', conversationId: c2.conversationId, score: 3 });

  await ann.ok({ type: 'status', status: 'away' });
  const c3 = await openConversation(s, { department: 'pre-sales', text: 'anyone?' });
  await c3.v.waitFor((e) => e.type === 'queued');
  await clock.advance(60 * S);
  await c3.v.ok({ type: 'leave', conversationId: c3.conversationId });

  await clock.advance(40 * S);
  const c4 = await openConversation(s, { department: 'pre-sales', text: 'a price?' });
  await c4.v.waitFor((e) => e.type === 'queued');
  await clock.advance(30 * S);
  await ann.ok({ type: 'status', status: 'online' });
  await ann.waitFor(assigned(c4.conversationId));
  await clock.advance(10 * S);
  await ann.ok({ type: 'send', conversationId: c4.conversationId, clientMsgId: 'a2', text: '99 yuan' });
  await clock.advance(2660 * S);
  await ann.ok({ type: 'resolve', conversationId: c4.conversationId });
  return { c1: c1.conversationId, c2: c2.conversationId, c3: c3.conversationId, c4: c4.conversationId };
}

type Shown = Record<string, string>;

/** What the page must show, by hand from the script (durations m:ss of the rounded second). */
const PRE_SALES: Shown = {
  received: '3',
  queued: '2',
  assigned: '2',
  resolved: '2',
  abandoned: '1',
  abandonRate: '50%',
  waitMs: '0:15', // (0 + 30) / 2
  serviceLevel: '50%', // 0 s within 20 s, 30 s not
  firstResponseMs: '0:28', // (45 + 10) / 2 = 27.5
  firstResponseFromCreatedMs: '0:43', // (45 + 40) / 2 = 42.5
  responseMs: '0:43',
  handleMs: '24:45', // (300 + 2670) / 2 = 1485 s
  transfersIn: '0',
  transfersOut: '0',
  ratings: '1',
  goodShare: '100%',
  ratingMean: '5',
  // Ann (capacity 5) is online 0–900 and 1030–3700 (the query's now): 3570 s, and holds C1 for 300 s and C4
  // for 2670 s: 2970 / (3570 · 5) = 16.6 %.
  occupancy: '16.6%',
};
const AFTER_SALES: Shown = {
  received: '1',
  queued: '0',
  assigned: '1',
  resolved: '1',
  abandoned: '0',
  abandonRate: '—', // nothing queued
  waitMs: '0:00',
  serviceLevel: '100%',
  firstResponseMs: '0:30',
  firstResponseFromCreatedMs: '0:30',
  responseMs: '0:30',
  handleMs: '10:00',
  transfersIn: '0',
  transfersOut: '0',
  ratings: '1',
  goodShare: '0%', // a 3 is not good
  ratingMean: '3',
  // Ben (capacity 5) is online 0–3700 and holds C2 for 600 s: 600 / (3700 · 5) = 3.2 %.
  occupancy: '3.2%',
};
// Received, queued and abandoned belong to no agent.
const ANN: Shown = { ...PRE_SALES, received: '0', queued: '0', abandoned: '0', abandonRate: '—' };
const BEN: Shown = { ...AFTER_SALES, received: '0' };
const TOTAL: Shown = {
  received: '4',
  resolved: '3',
  abandoned: '1',
  abandonRate: '50%',
  waitMs: '0:10', // (0 + 0 + 30) / 3
  serviceLevel: '66.7%', // 2 of 3
  firstResponseMs: '0:28', // (45 + 30 + 10) / 3 = 28.3
  handleMs: '19:50', // (300 + 600 + 2670) / 3 = 1190 s
  goodShare: '50%',
  ratingMean: '4',
};

/** The figures of a table's rows as shown: row id → figure → text. */
const tableOf = (page: Page, testid: string): Promise<Record<string, Shown>> =>
  page
    .locator(`[data-testid=${testid}] tbody tr`)
    .evaluateAll((trs) =>
      Object.fromEntries(
        trs.map((tr) => [
          tr.getAttribute('data-row') ?? '',
          Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.figure, td.textContent])),
        ]),
      ),
    );

const tilesOf = (page: Page): Promise<Shown> =>
  page
    .locator('[data-testid=report-totals] dd')
    .evaluateAll((dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute('data-figure'), dd.textContent])));

/** Waits until the page shows the report of that day. */
const shownDay = (page: Page, day: string) =>
  page.locator(`[data-testid=report][data-from="${day}T00:00:00.000Z"]`).waitFor();

/** A CSV the page downloaded: its rows as objects by the header (no field of this day is quoted). */
async function downloaded(page: Page, testid: string): Promise<{ name: string; rows: Record<string, string>[] }> {
  const download = page.waitForEvent('download');
  await page.locator(`[data-testid=${testid}]`).click();
  const file = await download;
  const bytes = readFileSync(await file.path());
  const text = bytes.subarray(3).toString('utf8');
  const [header, ...lines] = text.split('\r\n').filter((l) => l !== '');
  const names = header!.split(',');
  return {
    name: file.suggestedFilename(),
    rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v]))),
  };
}

/** The page's way of writing a CSV figure: the test's own reading of the contract, m:ss, %, "—". */
const asShown = {
  count: (v: string) => (v === '' ? '—' : v),
  duration: (v: string) => {
    if (v === '') return '—';
    const s = Math.round(Number(v) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  },
  percent: (v: string) => (v === '' ? '—' : `${Number((Number(v) * 100).toFixed(1))}%`),
  decimal: (v: string) => (v === '' ? '—' : String(Number(Number(v).toFixed(2)))),
};
/** Page figure → its summary.csv column and how it is written. */
const CSV_COLUMNS: Record<string, [string, keyof typeof asShown]> = {
  received: ['received', 'count'],
  queued: ['queued', 'count'],
  assigned: ['assigned', 'count'],
  resolved: ['resolved', 'count'],
  abandoned: ['abandoned', 'count'],
  abandonRate: ['abandon_rate', 'percent'],
  waitMs: ['wait_ms_mean', 'duration'],
  serviceLevel: ['service_level', 'percent'],
  firstResponseMs: ['first_response_ms_mean', 'duration'],
  firstResponseFromCreatedMs: ['first_response_from_created_ms_mean', 'duration'],
  responseMs: ['response_ms_mean', 'duration'],
  handleMs: ['handle_ms_mean', 'duration'],
  transfersIn: ['transfers_in', 'count'],
  transfersOut: ['transfers_out', 'count'],
  ratings: ['satisfaction_ratings', 'count'],
  goodShare: ['satisfaction_good_share', 'percent'],
  ratingMean: ['satisfaction_mean', 'decimal'],
  occupancy: ['occupancy', 'percent'],
};
const csvAsShown = (row: Record<string, string>, keys: readonly string[]): Shown =>
  Object.fromEntries(
    keys.map((k) => {
      const [column, how] = CSV_COLUMNS[k]!;
      return [k, asShown[how](row[column]!)];
    }),
  );

/** How many pixels of the canvas in `selector` are of the colour (r, g, b): is a series drawn? */
const pixelsOf = (page: Page, selector: string, rgb: [number, number, number]): Promise<number> =>
  page.locator(selector).evaluate((canvas, [r, g, b]) => {
    // The test's tsconfig has no DOM types: the canvas is described by what is used of it.
    const c = canvas as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i]! - r) < 8 && Math.abs(data[i + 1]! - g) < 8 && Math.abs(data[i + 2]! - b) < 8) n++;
    return n;
  }, rgb);

t.test('WEB-6: uPlot and the reports page are a lazy chunk of the admin app, not in its first load', async (t) => {
  const manifest = JSON.parse(readFileSync(join(defaultWebDir, 'manifest.json'), 'utf8')) as WebManifest;
  const initial = manifest.initial.admin ?? [];
  const lazy = manifest.lazy.admin ?? [];
  t.ok(
    lazy.some((u) => u.includes('/reports-page-')),
    'the reports page is loaded lazily',
  );
  t.notOk(
    initial.some((u) => u.includes('/reports-page-')),
    'and not with the admin pages',
  );
  // uPlot's code names its legend class; no file of the first load holds it.
  for (const url of initial)
    t.notOk(
      readFileSync(join(defaultWebDir, manifest.files[url]!.file), 'utf8').includes('u-legend'),
      `${url}: no uPlot`,
    );
});

t.test('WEB-6 MON-2: a report page shows the figures of a known day and the CSV download matches them', async (t) => {
  const clock = new VirtualClock(T0);
  const s = await startTestServer(t, { clock, autoMessages: false });
  const ids = await theDay(s, clock);
  const browser = await launchBrowser(t);
  const { page, errors } = await openAdmin(browser, s, 'admin', desktop, clock.now());

  // The page's requests (not resource timing: the fixed clock replaces the page's `performance`).
  const chunks: string[] = [];
  page.on('request', (r) => r.url().includes('/assets/reports-page-') && chunks.push(r.url()));
  const loadedChunks = () => [...chunks];
  t.same(loadedChunks(), [], 'signed in: the reports chunk is not loaded');
  await goTo(page, 'reports');
  // The page's clock is the server's: "today" is the built day.
  await shownDay(page, DAY);
  t.equal(loadedChunks().length, 1, 'it loads when the reports page opens');
  t.equal(await page.locator('[data-testid=report-range]').textContent(), `${DAY} to ${DAY}, days in UTC`);
  await page.locator('select[name=preset]').selectOption('yesterday');
  await page.locator('[data-testid=report-show]').click();
  await shownDay(page, '2026-11-22');
  t.match(await tilesOf(page), { received: '0', waitMs: '—', serviceLevel: '—' }, 'yesterday: nothing, "—" for null');

  await page.locator('select[name=preset]').selectOption('custom');
  await page.locator('input[name=from]').fill(DAY);
  await page.locator('input[name=to]').fill(DAY);
  await page.locator('[data-testid=report-show]').click();
  await shownDay(page, DAY);

  t.same(await tilesOf(page), TOTAL, 'the totals tiles');
  t.same(await tableOf(page, 'report-departments'), { 'pre-sales': PRE_SALES, 'after-sales': AFTER_SALES });
  t.same(await tableOf(page, 'report-agents'), { ann: ANN, ben: BEN });
  t.equal(
    await page.locator('[data-testid=report-departments] thead th').first().getAttribute('scope'),
    'col',
    'column headers are scoped',
  );

  // The series: every hour of the day; at 10:00 four received, two resolved, one abandoned, a 10 s mean wait.
  const series = page.locator('[data-testid=series-table] tbody tr');
  t.equal(await series.count(), 24, 'a point per hour');
  const cells = (start: string) =>
    page.locator(`[data-testid=series-table] tr[data-start="${start}"] td`).allTextContents();
  t.same(await cells('2026-11-23T10:00:00.000Z'), ['4', '2', '1', '0:10']);
  t.same(await cells('2026-11-23T11:00:00.000Z'), ['0', '1', '0', '—'], 'C4 resolved in the 11:00 hour');
  t.match(
    await page.locator('[data-testid=chart-volume-alt]').textContent(),
    /24 periods: 4 received, 3 resolved, 1 abandoned/,
    'the chart has a text alternative',
  );
  t.equal(await page.locator('[data-testid=chart-volume] [aria-hidden=true] canvas').count(), 1, 'a canvas chart');
  t.ok((await pixelsOf(page, '[data-testid=chart-volume] canvas', [37, 99, 235])) > 50, 'received is drawn');
  t.ok((await pixelsOf(page, '[data-testid=chart-wait] canvas', [147, 51, 234])) > 20, 'the wait is drawn');
  // The pointer on the 10:00 point (the 11th of 24, spread over the plot's width): the legend gives its values.
  const over = await page.locator('[data-testid=chart-volume] .u-over').boundingBox();
  await page.mouse.move(over!.x + (over!.width * 10) / 23, over!.y + over!.height / 2);
  const legend = () =>
    page
      .locator('[data-testid=chart-volume] .u-legend .u-series')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('.u-label')?.textContent, r.querySelector('.u-value')?.textContent]),
      );
  await page.waitForFunction(
    "document.querySelector('[data-testid=chart-volume] .u-legend .u-series .u-value')?.textContent.includes('10:00')",
  );
  t.same(
    await legend(),
    [
      ['Period', 'Nov 23, 10:00'],
      ['Received', '4'],
      ['Resolved', '2'],
      ['Abandoned', '1'],
    ],
    'hovering a point shows its hour and values in the legend',
  );
  await screenshot(page, group, 'admin-day');

  // The summary CSV, downloaded by the page for the same query: the same figures, as numbers.
  const summary = await downloaded(page, 'download-summary');
  t.equal(summary.name, `switchboard-summary-${DAY}-${DAY}.csv`);
  await page.locator('[data-testid=download-done]').waitFor();
  const byId = (scope: string, id: string) => summary.rows.find((r) => r.scope === scope && r.id === id)!;
  const total = summary.rows.find((r) => r.scope === 'total')!;
  t.match(
    total,
    {
      received: '4',
      wait_ms_mean: '10000',
      handle_ms_mean: '1190000',
      service_level: String(2 / 3),
      first_response_ms_mean: String(((45 + 30 + 10) * S) / 3),
      satisfaction_mean: '4',
    },
    'the CSV total, by hand',
  );
  t.match(byId('department', 'pre-sales'), { wait_ms_mean: '15000', handle_ms_mean: '1485000', abandon_rate: '0.5' });
  t.match(byId('department', 'after-sales'), { abandon_rate: '', satisfaction_good_share: '0' }, 'null is empty');
  const tableKeys = Object.keys(PRE_SALES);
  t.same(csvAsShown(total, Object.keys(TOTAL)), await tilesOf(page), 'every tile is the CSV total');
  const departments = await tableOf(page, 'report-departments');
  const agents = await tableOf(page, 'report-agents');
  for (const id of ['pre-sales', 'after-sales'])
    t.same(csvAsShown(byId('department', id), tableKeys), departments[id], `${id}: the table is the CSV row`);
  for (const id of ['ann', 'ben'])
    t.same(csvAsShown(byId('agent', id), tableKeys), agents[id], `${id}: the table is the CSV row`);
  t.equal(summary.rows.length, 5, 'two departments, two agents, the total');

  const conversations = await downloaded(page, 'download-conversations');
  t.equal(conversations.name, `switchboard-conversations-${DAY}-${DAY}.csv`);
  const conv = (id: string) => conversations.rows.find((r) => r.conversation_id === id)!;
  t.equal(conversations.rows.length, 4, 'the four conversations created that day');
  t.match(conv(ids.c1!), { department: 'pre-sales', agent: 'ann', wait_ms: '0', handle_ms: '300000', rating: '5' });
  t.match(conv(ids.c2!), { department: 'after-sales', agent: 'ben', first_response_ms: '30000', rating: '3' });
  t.match(conv(ids.c3!), { abandoned: 'true', wait_ms: '' });
  t.match(conv(ids.c4!), { wait_ms: '30000', first_response_ms: '10000', handle_ms: '2670000' });

  // One department and another service level: the query follows the pickers.
  await page.locator('select[name=department]').selectOption('after-sales');
  await page.locator('input[name=serviceLevelSec]').fill('30');
  await page.locator('[data-testid=report-show]').click();
  await page.locator('[data-testid=report-totals] dd[data-figure=received]', { hasText: /^1$/ }).waitFor();
  t.same(Object.keys(await tableOf(page, 'report-departments')), ['after-sales'], 'one department');
  t.match(
    await page.locator('[data-testid=report-departments] thead').textContent(),
    /Service level \(30 s\)/,
    'the threshold is in the heading',
  );
  await page.locator('select[name=department]').selectOption('');
  await page.locator('[data-testid=report-show]').click();
  await page.locator('[data-testid=report-totals] dd[data-figure=received]', { hasText: /^4$/ }).waitFor();
  t.equal(await page.locator('[data-testid=report-totals] dd[data-figure=serviceLevel]').textContent(), '100%');

  // MON-2 time zones: the day of another zone, and a zone the server does not know shown at its field.
  await page.locator('input[name=timeZone]').fill('Asia/Shanghai');
  await page.locator('[data-testid=report-show]').click();
  await waitForText(page, '[data-testid=report-range]', 'days in Asia/Shanghai');
  t.equal(
    await page.locator('[data-testid=report-totals] dd[data-figure=received]').textContent(),
    '4',
    'the four conversations fall on the same local day in Shanghai (18:00–19:00)',
  );
  const errorsBefore = errors.length;
  await page.locator('input[name=timeZone]').fill('Mars/Olympus_Mons');
  await page.locator('[data-testid=report-show]').click();
  await waitForText(page, '[data-field-error=timeZone]', 'Mars/Olympus_Mons');
  t.match(errors.splice(errorsBefore), [/status of 400/], 'the one console error is the refused request');
  await page.locator('input[name=timeZone]').fill('');
  await page.locator('[data-testid=report-show]').click();
  await waitForText(page, '[data-testid=report-range]', 'days in UTC');

  // Chinese: the same figures under Chinese headings.
  await page.locator('[data-lang=zh-CN]').click();
  await page.locator('[data-testid=report-departments] thead th', { hasText: '平均等待' }).waitFor();
  t.match(await page.locator('[data-testid=report-range]').textContent(), /2026-11-23 至 2026-11-23/);
  t.same((await tableOf(page, 'report-departments'))['pre-sales']!.handleMs, '24:45');
  await page.locator('.rpt-data summary').click();
  await screenshot(page, group, 'admin-day-zh');
  t.same(errors, [], 'no console errors');
});

t.test('WEB-6 MON-2 ROLE-2: a supervisor sees only their departments; an agent is refused', async (t) => {
  const clock = new VirtualClock(T0);
  const s = await startTestServer(t, { clock, autoMessages: false });
  await theDay(s, clock);
  const sue = { id: 'sue', email: 'sue@test.local', password: 'sue-password-1', role: 'supervisor' };
  const created = await apiAs(s, 'admin')('post', '/staff', {
    ...sue,
    name: 'Sue',
    departments: ['after-sales'],
  });
  t.equal(created.status, 201, 'a supervisor of after-sales');
  const browser = await launchBrowser(t);
  const { page, errors } = await openAdmin(browser, s, sue, desktop, clock.now());
  t.same(
    await page.locator('.adm-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('data-page'))),
    ['reports'],
    'the reports alone in the menu',
  );
  await page.locator('[data-testid=page-reports]').waitFor();
  await shownDay(page, DAY);
  // The picker's departments come from a load of their own, apart from the summary's.
  await page.locator('select[name=department] option[value=after-sales]').waitFor({ state: 'attached' });
  t.same(
    await page.locator('select[name=department] option').evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ['', 'after-sales'],
    'the department picker offers only after-sales',
  );
  t.same(await tableOf(page, 'report-departments'), { 'after-sales': AFTER_SALES }, 'only after-sales');
  t.same(await tableOf(page, 'report-agents'), { ben: BEN }, "only after-sales' agent");
  t.match(await tilesOf(page), { received: '1', handleMs: '10:00', ratingMean: '3' }, 'totals of after-sales alone');
  t.match(await page.locator('[data-testid=who]').textContent(), /Sue · supervisor/);
  const summary = await downloaded(page, 'download-summary');
  t.same(
    summary.rows.map((r) => `${r.scope}:${r.id}`),
    ['department:after-sales', 'agent:ben', 'total:'],
    'the CSV holds only after-sales too',
  );
  await screenshot(page, group, 'supervisor');
  t.same(errors, [], 'no console errors');

  const agent = await openAdmin(browser, s, 'alice', desktop, clock.now());
  t.match(await agent.page.locator('[data-testid=not-admin]').textContent(), /administrators and supervisors/);
  t.equal(await agent.page.locator('[data-testid=page-reports]').count(), 0, 'an agent gets no reports page');
  t.equal((await apiAs(s, 'alice')('get', `/reports/summary?from=${DAY}&to=${DAY}`)).status, 403, 'nor the API');
  await screenshot(agent.page, group, 'agent-refused');
});
