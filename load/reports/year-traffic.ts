/**
 * MON-2 benchmark: a year of conversations as the actors would journal
 * them, drawn from a seeded generator so that one seed is one store. Arrivals
 * follow a day curve (quiet nights, a morning and an afternoon peak, quieter
 * weekends, a busier November); a third of the conversations wait in a
 * queue and some of those are abandoned; agents answer, customers write
 * back, some conversations are transferred to another department (with
 * tags), rated (a few ratings changed a day later) or reopened.
 * The output is the journal's own input: events with the records that
 * commit with them, and rating records.
 */
import type { ConversationEvent } from '../../protocol/frames.js';
import type { RatingRecord, TransferRecord } from '../../actors/conversation/records.js';
import type { RecordWrite } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import { DAY_MS, HOUR_MS } from '../../src/reports/hours.js';
import { seededRandom } from '../chaos/chaos-run.js';
import { onShift, YEAR_DEPARTMENTS, type YearAgent } from './year-workspace.js';

/** One write the journal is given: an event of a conversation (with its records) or a rating. */
export type YearWrite =
  | { kind: 'event'; event: ConversationEvent; records: RecordWrite[] }
  | { kind: 'rating'; rating: RatingRecord };

export interface YearConversation {
  id: string;
  writes: YearWrite[];
}

export interface YearTrafficOptions {
  seed: number;
  conversations: number;
  /** First day (UTC midnight); the year is the 365 days from it. */
  start: number;
  agents: readonly YearAgent[];
}

export const YEAR_DAYS = 365;
const TAGS = ['billing', 'technical', 'shipping', 'angry', 'vip'];
const TEXTS = [
  'Hello, I have a question about my order',
  'Thanks, that helps',
  'Could you check the delivery date please?',
  'Sure, one moment while I look at it',
  'It says shipped but I have not received it',
  'I have refunded the difference to your card',
];
// Scores 1..5 as real surveys tend to spread them.
const SCORE_CDF = [0.05, 0.12, 0.25, 0.55, 1];

/** Relative arrivals per UTC hour of the day: night 15 %, peaks at 10:00 and 14:00. */
const HOUR_WEIGHTS = [
  0.15, 0.12, 0.1, 0.1, 0.12, 0.2, 0.35, 0.55, 0.8, 0.95, 1, 0.95, 0.8, 0.9, 1, 0.95, 0.85, 0.75, 0.65, 0.55, 0.45,
  0.35, 0.25, 0.2,
];

function dayWeight(day: number): number {
  const d = new Date(day);
  const weekday = d.getUTCDay();
  const week = weekday === 0 ? 0.5 : weekday === 6 ? 0.6 : 1;
  const season = d.getUTCMonth() === 10 ? 1.3 : d.getUTCMonth() === 11 ? 1.15 : 1;
  return week * season;
}

export function* yearTraffic(o: YearTrafficOptions): Generator<YearConversation> {
  const random = seededRandom(o.seed);
  const exp = (mean: number): number => Math.round(-Math.log(1 - random()) * mean);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  // Agents on shift per department, weekday and hour, looked up for every assignment.
  const onDuty = new Map<string, YearAgent[]>();
  for (const d of YEAR_DEPARTMENTS)
    for (let w = 0; w < 7; w++)
      for (let h = 0; h < 24; h++) {
        const all = o.agents.filter((a) => a.departments.includes(d.id));
        const on = all.filter((a) => onShift(a, w, h));
        onDuty.set(`${d.id}/${w}/${h}`, on.length ? on : all);
      }
  const agentAt = (department: string, at: number): YearAgent => {
    const d = new Date(at);
    return pick(onDuty.get(`${department}/${d.getUTCDay()}/${d.getUTCHours()}`)!);
  };
  const departmentOf = (): string => {
    let x = random();
    for (const d of YEAR_DEPARTMENTS) if ((x -= d.share) < 0) return d.id;
    return YEAR_DEPARTMENTS[0]!.id;
  };
  const days = Array.from({ length: YEAR_DAYS }, (_, i) => o.start + i * DAY_MS);
  const weights = days.map(dayWeight);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const hourSum = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  let n = 0;
  let carry = 0;
  for (let i = 0; i < YEAR_DAYS; i++) {
    const exact = (o.conversations * weights[i]!) / weightSum + carry;
    const today = i === YEAR_DAYS - 1 ? o.conversations - n : Math.round(exact);
    carry = exact - today;
    const times: number[] = [];
    for (let k = 0; k < today; k++) {
      let x = random() * hourSum;
      let h = 0;
      while (h < 23 && (x -= HOUR_WEIGHTS[h]!) >= 0) h++;
      times.push(days[i]! + h * HOUR_MS + Math.floor(random() * HOUR_MS));
    }
    times.sort((a, b) => a - b);
    for (const created of times) yield conversation(n++, created);
  }

  function conversation(index: number, created: number): YearConversation {
    const id = `y${o.seed}-${index.toString(36).padStart(4, '0')}`;
    const writes: YearWrite[] = [];
    let seq = 0;
    let at = created;
    const add = (e: Record<string, unknown>, records: RecordWrite[] = []): void => {
      const event = { ...e, conversationId: id, seq: ++seq, at } as unknown as ConversationEvent;
      writes.push({ kind: 'event', event, records });
    };
    const say = (role: 'visitor' | 'agent', from: string): void =>
      add({ type: 'message', messageId: `${id}-${seq + 1}`, from: { role, id: from }, text: pick(TEXTS) });
    const visitorId = `v${o.seed}-${index.toString(36)}`;
    let department = departmentOf();
    add({ type: 'created', visitorId, department, language: 'en' });
    at += 1500 + exp(2000);
    say('visitor', visitorId);
    const queued = random() < 0.35;
    const wait = queued ? 5000 + exp(70_000) : 500 + exp(1500);
    if (queued) add({ type: 'queued', department });
    if (queued && exp(300_000) < wait) {
      at = created + exp(wait);
      add({ type: 'resolved', by: { role: 'visitor', id: visitorId }, reason: 'abandoned' });
      return { id, writes };
    }
    at = created + wait;
    let agent = agentAt(department, at);
    const assign = (): void =>
      add({
        type: 'assigned',
        department,
        visitorId,
        agent: { id: agent.id, name: agent.name },
        policy: 'round_robin',
      });
    assign();
    const exchange = (): void => {
      at += 3000 + exp(25_000);
      say('agent', agent.id);
    };
    exchange();
    for (let k = Math.floor(random() * 5); k > 0; k--) {
      at += 2000 + exp(40_000);
      say('visitor', visitorId);
      exchange();
    }
    if (random() < 0.07) {
      const from = agent;
      const fromDepartment = department;
      const others = YEAR_DEPARTMENTS.filter((d) => d.id !== department);
      department = pick(others).id;
      at += 5000 + exp(20_000);
      const tags = random() < 0.8 ? [pick(TAGS)] : [];
      const by = { id: from.id, name: from.name, role: 'agent' as const };
      const record: TransferRecord = {
        n: 0,
        conversationId: id,
        at,
        by,
        from: { id: from.id, name: from.name },
        fromDepartment,
        to: { kind: 'department', department },
        note: 'Over to you',
        tags,
      };
      add({ type: 'transferred', n: 0, from: record.from, department, by: { role: 'agent', id: from.id } }, [
        { key: Keys.transfer(id, 0), value: record },
      ]);
      at += 1000 + exp(30_000);
      agent = agentAt(department, at);
      assign();
      exchange();
    }
    at += 5000 + exp(60_000);
    const end = random();
    if (end < 0.06) add({ type: 'resolved', by: { role: 'visitor', id: visitorId }, reason: 'left' });
    else if (end < 0.09) add({ type: 'resolved', by: { role: 'system', id: 'system' }, reason: 'inactive' });
    else add({ type: 'resolved', by: { role: 'agent', id: agent.id }, summary: 'Answered' });
    if (random() < 0.02) {
      at += 2 * HOUR_MS + exp(HOUR_MS);
      add({ type: 'reopened', by: { role: 'visitor', id: visitorId } });
      say('visitor', visitorId);
      at += 2000 + exp(10_000);
      assign();
      exchange();
      at += 5000 + exp(30_000);
      add({ type: 'resolved', by: { role: 'agent', id: agent.id } });
    }
    if (random() < 0.3) {
      const score = (x: number): number => SCORE_CDF.findIndex((c) => x < c) + 1;
      at += 2000 + exp(30_000);
      const rating: RatingRecord = { conversationId: id, agentId: agent.id, score: score(random()), at };
      if (random() < 0.3) rating.comment = pick(['Quick and kind', 'Took too long', '很好，谢谢']);
      writes.push({ kind: 'rating', rating });
      if (random() < 0.01)
        writes.push({ kind: 'rating', rating: { ...rating, score: score(random()), at: at + DAY_MS } });
    }
    return { id, writes };
  }
}
