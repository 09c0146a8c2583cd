/**
 * SIM-2: traffic recorded from a real server (real WebSocket clients, the
 * `record` option) is replayed through the simulator against two settings,
 * and the two runs are printed side by side.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from './support/server.js';
import { onlineAgent } from './support/conversations.js';
import { VirtualClock } from '../actors/clock.js';
import { readRecording, type RecordedLine } from '../src/sim/recording.js';
import { simulateCommand, type SimulateOutput } from '../src/sim/command.js';

t.test(
  'SIM-2: a recorded stretch of live traffic replays with more agents and with another policy, the runs side by side',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-sim-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const recording = join(dir, 'traffic.jsonl');
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 9));
    const s = await startTestServer(t, { clock, record: recording, autoMessages: false });
    const bob = await onlineAgent(s, 'bob');

    // Six customers ten seconds apart; bob (5 slots) answers and resolves each after two minutes; the sixth waits and gives up.
    const started: { v: Awaited<ReturnType<typeof s.visitor>>; conversationId: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const v = await s.visitor();
      await v.ok({ type: 'hello' });
      const r = await v.ok({
        type: 'start',
        department: 'after-sales',
        text: i === 0 ? 'I want a refund' : `question ${i}`,
      });
      started.push({ v, conversationId: r.conversationId as string });
      if (i < 5) {
        await v.waitFor((e) => e.type === 'assigned');
        await bob.ok({
          type: 'send',
          conversationId: r.conversationId as string,
          clientMsgId: `hi-${i}`,
          text: 'Hello, Bob here',
        });
      } else await v.waitFor((e) => e.type === 'queued');
      await clock.advance(10_000);
    }
    await clock.advance(20_000);
    await started[5]!.v.ok({ type: 'leave', conversationId: started[5]!.conversationId });
    for (const { conversationId } of started.slice(0, 5)) {
      await clock.advance(20_000);
      await bob.ok({ type: 'resolve', conversationId });
    }
    await s.stop();

    const lines = readFileSync(recording, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RecordedLine);
    t.match(lines[0], { e: 'recording', v: 1, t: Date.UTC(2026, 0, 5, 9) }, 'a header with the format and the start');
    t.equal(lines.filter((l) => l.e === 'created').length, 6);
    t.equal(lines.filter((l) => l.e === 'assigned').length, 5);
    t.equal(lines.filter((l) => l.e === 'message' && l.r === 'agent').length, 5, "bob's replies, without their text");
    t.notOk(JSON.stringify(lines).includes('refund'), 'no message text is recorded');
    t.match(
      lines.find((l) => l.e === 'resolved' && l.why === 'abandoned'),
      { c: started[5]!.conversationId },
    );
    const created = lines.find((l) => l.e === 'created');
    t.match(created, { d: 'after-sales', n: { tier: 1, vip: false } }, 'the department and needs settled at creation');
    t.notOk(
      (created as { v: string }).v.includes('.'),
      'the visitor appears by its public handle only, not its credential',
    );

    const read = readRecording(recording);
    t.equal(read.conversations.length, 6);
    t.same(
      read.conversations.map((c) => c.at),
      [0, 10_000, 20_000, 30_000, 40_000, 50_000],
      'arrivals at their recorded offsets',
    );
    t.equal(read.conversations[5]!.abandonedAfter, 30_000, 'the one who gave up, after waiting 30 s');
    t.ok(
      read.conversations.slice(0, 5).every((c) => c.handle! > 0 && c.firstReply === 0),
      'handle times and first replies of the served',
    );

    // The what-if: one agent of one slot, against six agents (and another policy).
    const scenarioPath = join(dir, 'scenario.json');
    writeFileSync(
      scenarioPath,
      JSON.stringify({
        name: 'after-sales what-if',
        durationHours: 0.1,
        drainHours: 1,
        serviceLevelSec: 20,
        departments: [{ id: 'pre-sales' }, { id: 'after-sales', defaultMaxConcurrent: 1 }],
        agents: [{ id: 'bob', departments: ['after-sales'] }],
        handleTime: { dist: 'fixed', sec: 60 },
      }),
    );
    const settingsPath = join(dir, 'more-agents.json');
    writeFileSync(
      settingsPath,
      JSON.stringify({ departments: [{ id: 'after-sales', policy: 'least_load' }], agents: [{ id: 'bob', count: 6 }] }),
    );

    let out = '';
    let err = '';
    const code = await simulateCommand(
      [scenarioPath, '--replay', recording, '--compare', settingsPath, '--json'],
      (x) => (out += x),
      (x) => (err += x),
    );
    t.equal(code, 0, err);
    const { runs } = JSON.parse(out) as SimulateOutput;
    t.same(
      runs.map((r) => r.label),
      ['base', 'compare'],
    );
    const [base, more] = runs as [SimulateOutput['runs'][number], SimulateOutput['runs'][number]];
    t.equal(base.customers, 6);
    t.equal(more.customers, 6);
    t.equal(base.fairness.agents, 1);
    t.equal(more.fairness.agents, 6);
    t.equal(more.abandoned, 0, 'with six agents nobody waits long enough to give up');
    t.ok(base.abandoned >= 1, 'with one agent of one slot, the customer who gave up after 30 s gives up again');
    t.ok(
      more.waitSec.mean < base.waitSec.mean,
      `more agents → lower wait (${more.waitSec.mean} s < ${base.waitSec.mean} s)`,
    );
    t.ok(more.serviceLevel.percent > base.serviceLevel.percent, 'and a higher service level');

    // The same as a table: both runs side by side.
    out = '';
    t.equal(
      await simulateCommand(
        [scenarioPath, '--replay', recording, '--compare', settingsPath],
        (x) => (out += x),
        (x) => (err += x),
      ),
      0,
    );
    t.match(out, /^\s+base\s+compare$/m, 'one column per run');
    t.match(out, /^wait mean \(s\)\s+\S+\s+\S+$/m);
    t.match(out, /^agents\s+1\s+6$/m);
  },
);
