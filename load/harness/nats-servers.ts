/**
 * Runs Debian's nats-server for a test or the cluster load scenario (CLUSTER-2/3/4): N processes on random
 * loopback ports forming one JetStream cluster (full mesh of routes), each
 * with its own store directory under one temporary folder, stopped and
 * removed at teardown. A test may pause (SIGSTOP), resume or kill any one of
 * them to play a node that stalls or dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { freePort } from './processes.js';

export const natsServerPath = '/usr/sbin/nats-server';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface NatsNode {
  name: string;
  /** The client URL, nats://127.0.0.1:port. */
  url: string;
  proc: ChildProcess;
  /** SIGSTOP: the process stays, answers nothing, until resume(). */
  pause(): void;
  resume(): void;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

export interface NatsCluster {
  nodes: NatsNode[];
  urls: string[];
  /** A client connection to the given servers (all of them by default), closed at teardown. */
  connect(urls?: string[]): Promise<NatsConnection>;
  /** Waits until the live servers can place a stream with `replicas` replicas again (after a pause or a kill). */
  ready(replicas?: number): Promise<void>;
}

function config(name: string, dir: string, port: number, routePort: number, routes: number[]): string {
  const peers = routes.map((p) => `nats-route://127.0.0.1:${p}`).join(', ');
  return `server_name: ${name}
listen: 127.0.0.1:${port}
jetstream {
  store_dir: "${dir}"
  max_memory_store: 64MB
  max_file_store: 512MB
}
cluster {
  name: switchboard-test
  listen: 127.0.0.1:${routePort}
  routes: [${peers}]
}
`;
}

/** Starts `size` nats-servers as one JetStream cluster and waits until its meta leader answers. */
export async function startNatsCluster(t: Teardown, size = 3): Promise<NatsCluster> {
  if (!existsSync(natsServerPath))
    throw new Error(`${natsServerPath} is missing: npm test installs it (as root), or apt-get install nats-server`);
  const root = mkdtempSync(join(tmpdir(), 'switchboard-nats-'));
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const nodes: NatsNode[] = [];
  const exits: Promise<void>[] = [];
  const connections: NatsConnection[] = [];
  t.teardown(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    for (const n of nodes) {
      if (n.proc.exitCode !== null || n.proc.signalCode !== null) continue;
      n.proc.kill('SIGCONT');
      n.proc.kill('SIGKILL');
    }
    await Promise.all(exits);
    rmSync(root, { recursive: true, force: true });
  });
  for (let i = 0; i < size; i++) {
    const name = `n${i + 1}`;
    const dir = join(root, name);
    mkdirSync(dir);
    const conf = join(root, `${name}.conf`);
    writeFileSync(
      conf,
      config(
        name,
        dir,
        ports[i]!,
        routePorts[i]!,
        routePorts.filter((_, j) => j !== i),
      ),
    );
    const proc = spawn(natsServerPath, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => {
      // Only the tail matters when a start fails; keep memory bounded on long runs.
      stderr = (stderr + d.toString()).slice(-8000);
    });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    exits.push(exited);
    nodes.push({
      name,
      url: `nats://127.0.0.1:${ports[i]}`,
      proc,
      pause: () => proc.kill('SIGSTOP'),
      resume: () => proc.kill('SIGCONT'),
      kill: async () => {
        proc.kill('SIGCONT');
        proc.kill('SIGKILL');
        await exited;
      },
    });
    proc.once('exit', (code, signal) => {
      if (code !== null && code !== 0) process.stderr.write(`nats-server ${name} exited ${code}: ${stderr}\n`);
      void signal;
    });
  }
  const urls = nodes.map((n) => n.url);
  const cluster: NatsCluster = {
    nodes,
    urls,
    connect: async (servers = urls) => {
      const nc = await connect({ servers, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
      connections.push(nc);
      return nc;
    },
    ready: (replicas = size) => waitForJetStream(cluster, replicas),
  };
  await waitForJetStream(cluster, size);
  return cluster;
}

/**
 * The cluster is ready when every server reaches a JetStream meta leader and
 * a stream with one replica per server can be placed: right after the meta
 * leader is elected, the peers it knows may still be too few for that.
 */
async function waitForJetStream(cluster: NatsCluster, replicas: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  const retry = async (what: string, step: () => Promise<void>): Promise<void> => {
    for (;;) {
      try {
        return await step();
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`nats cluster not ready in 30 s (${what}): ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const probe = async (url: string, step: (jsm: JetStreamManager) => Promise<unknown>): Promise<void> => {
    const nc = await connect({ servers: url, timeout: 1000 });
    try {
      await step(await jetstreamManager(nc, { timeout: 1000 }));
    } finally {
      await nc.close();
    }
  };
  const live = cluster.nodes.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null);
  for (const node of live) {
    await retry(node.name, () => probe(node.url, (jsm) => jsm.getAccountInfo()));
  }
  await retry('placing a stream on every server', () =>
    probe(live[0]!.url, async (jsm) => {
      await jsm.streams.add({
        name: 'READY_PROBE',
        subjects: ['_switchboard.ready'],
        num_replicas: replicas,
      });
      await jsm.streams.delete('READY_PROBE');
    }),
  );
}
