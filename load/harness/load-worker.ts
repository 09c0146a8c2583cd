/**
 * A client worker of the load harness: a child process (forked by
 * load/harness/worker-pool.ts) that holds a share of the WebSocket clients and drives
 * them as the coordinator asks (load/harness/worker-protocol.ts). Several workers
 * spread the clients over processes (and cores), so that the client side is
 * not what limits a measurement, and so that each process stays well below
 * its open-file limit.
 *
 *   node dist/load/harness/load-worker.js <worker index>
 *
 * It exits when the IPC channel closes (the coordinator exited or killed it).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sleep } from './measure.js';
import { AssignTraffic } from './traffic-assign.js';
import type { TrafficDriver } from './traffic-driver.js';
import { EchoTraffic } from './traffic-echo.js';
import { MixedTrafficDriver } from './traffic-mixed.js';
import { TrafficRecorder } from './traffic-recorder.js';
import { RelayTraffic } from './traffic-relay.js';
import {
  epochNow,
  type Schedule,
  type Traffic,
  type TrafficReport,
  type WorkerCommand,
  type WorkerReply,
  type WorkerRequest,
  type WorkerResult,
} from './worker-protocol.js';
import { WorkerSockets } from './worker-sockets.js';

const index = Number(process.argv[2] ?? '0');
const sockets = new WorkerSockets(index);

function driverFor(traffic: Traffic, rec: TrafficRecorder): TrafficDriver {
  switch (traffic.kind) {
    case 'echo':
      return new EchoTraffic(sockets.echo, traffic.window, rec, `e${index}`);
    case 'relay':
      return new RelayTraffic(sockets, { window: traffic.window }, rec);
    case 'relay-paced':
      return new RelayTraffic(sockets, { rate: traffic.rate }, rec);
    case 'assign':
      return new AssignTraffic(sockets, traffic.rate, traffic.department, rec);
    case 'mixed':
      return new MixedTrafficDriver(sockets, traffic, rec);
  }
}

const sleepUntil = (at: number): Promise<void> => sleep(Math.max(0, at - epochNow()));
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function run(traffic: Traffic, schedule: Schedule): Promise<TrafficReport> {
  const rec = new TrafficRecorder(schedule);
  const driver = driverFor(traffic, rec);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  await sleepUntil(schedule.startAt);
  loop.enable();
  driver.start();
  await sleepUntil(schedule.measureFrom);
  const cpu0 = cpuSeconds();
  await sleepUntil(schedule.measureTo);
  const cpu = cpuSeconds() - cpu0;
  driver.stop();
  const drainUntil = epochNow() + schedule.drainMs;
  while (!driver.settled() && epochNow() < drainUntil) await sleep(5);
  // Events sent just before the last ack (to other connections) may still be on their way.
  await sleep(Math.min(100, schedule.drainMs));
  loop.disable();
  driver.finish();
  sockets.quiet();
  return rec.report(cpu, Math.round(loop.percentile(99) / 1e4) / 100);
}

async function execute(command: WorkerCommand): Promise<WorkerResult> {
  switch (command.op) {
    case 'clock':
      return { now: epochNow() };
    case 'connectAgents': {
      const r = await sockets.connectAgents(command.url, command.agents);
      return sockets.result({ ...r, now: epochNow() });
    }
    case 'connectVisitors': {
      const r = await sockets.connectVisitors(command.url, command.count, command.department, command.converse);
      return sockets.result({ connected: command.count, ...r, now: epochNow() });
    }
    case 'connectIdle':
      await sockets.connectIdle(command.url, command.count, command.hello);
      return sockets.result({ connected: command.count, now: epochNow() });
    case 'connectEcho':
      await sockets.connectEcho(command.url, command.count);
      return sockets.result({ connected: command.count, now: epochNow() });
    case 'run':
      return run(command.traffic, command.schedule);
    case 'reset':
      await sockets.closeAll();
      return {};
  }
}

function reply(r: WorkerReply): void {
  process.send?.(r);
}

process.on('message', (msg: WorkerRequest) => {
  execute(msg.command).then(
    (result) => reply({ reqId: msg.reqId, ok: true, result }),
    (err: unknown) => reply({ reqId: msg.reqId, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
