/** Starts a real server in this process on a random loopback port with a fresh data directory. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { TestClient, type ClientOptions } from './client.js';
import type { DemoCredential } from '../../src/seed.js';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  visitorUrl: string;
  staffUrl: string;
  cred(id: string): DemoCredential;
  /** WEB-1: the certificate (PEM) a client trusts when the server serves TLS. */
  ca?: string;
  visitor(opts?: ClientOptions): Promise<TestClient>;
  /** A staff client signed in by token at upgrade. */
  staff(id: string, opts?: ClientOptions): Promise<TestClient>;
  /** Closes the clients, the server and (unless `keepData`) the data directory; once, however often called. */
  stop(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchboard-test-'));
}

/**
 * `autoMessages: false` turns the workspace's automatic messages (CONV-4) off, for tests that check exact
 * event sequences of something else; the product default is on.
 */
export type TestServerOptions = Partial<ServerOptions> & { keepData?: boolean; autoMessages?: boolean };

/** What `startTestServer` needs of a tap test: somewhere to register its stop. */
export interface TestOwner {
  teardown(fn: () => unknown): void;
}

/** scrypt's N for the demo accounts of test servers (the product's is 2^15). */
export const TEST_PASSWORD_COST = 1 << 10;

/**
 * Given the test (`startTestServer(t, opts)`), the server stops when that test ends; a test may still stop it
 * earlier (a restart on the same data), since `stop` runs once however often it is called.
 */
export async function startTestServer(owner: TestOwner, opts?: TestServerOptions): Promise<TestServer>;
export async function startTestServer(opts?: TestServerOptions): Promise<TestServer>;
export async function startTestServer(
  first: TestOwner | TestServerOptions = {},
  second: TestServerOptions = {},
): Promise<TestServer> {
  const owner = isOwner(first) ? first : undefined;
  const opts = isOwner(first) ? second : first;
  const dataDir = opts.dataDir ?? tempDataDir();
  const { autoMessages, ...serverOpts } = opts;
  const server = await startServer({
    port: 0,
    logger: createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent'),
    // Four demo passwords at the product's scrypt cost take most of a second per start; tests sign in the same either way.
    demoPasswordCost: TEST_PASSWORD_COST,
    ...serverOpts,
    dataDir,
  });
  if (autoMessages === false) {
    const dir = server.directory;
    await dir.deps.runtime.ask(dir.workspace, {
      type: 'configureWorkspace',
      changes: { autoMessages: { enabled: false } },
    });
  }
  // WEB-1: over TLS the clients trust the server's own (self-signed) certificate.
  const base = `${server.tls ? 'wss' : 'ws'}://127.0.0.1:${server.port}`;
  const ca = opts.tls ? { ca: readFileSync(opts.tls.certFile, 'utf8') } : {};
  const clients: TestClient[] = [];
  const track = (c: TestClient) => (clients.push(c), c);
  const cred = (id: string): DemoCredential => {
    const c = server.demoCredentials.find((x) => x.id === id);
    if (!c) throw new Error(`no demo credential ${id}`);
    return c;
  };
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server.close();
    if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  const testServer: TestServer = {
    server,
    dataDir,
    visitorUrl: `${base}/v1/visitor`,
    staffUrl: `${base}/v1/staff`,
    cred,
    ...ca,
    async visitor(o) {
      return track(await TestClient.connect(`${base}/v1/visitor`, { ...ca, ...o }));
    },
    async staff(id, o) {
      // A fresh session per connection: the demo token may have expired on a virtual clock moved on by hours.
      const dir = server.directory;
      const { token } = await dir.deps.runtime.ask(dir.sessions, { type: 'open', staffId: cred(id).id });
      return track(await TestClient.connect(`${base}/v1/staff?token=${encodeURIComponent(token)}`, { ...ca, ...o }));
    },
    stop() {
      stopped ??= stop();
      return stopped;
    },
  };
  owner?.teardown(() => testServer.stop());
  return testServer;
}

function isOwner(value: TestOwner | TestServerOptions): value is TestOwner {
  return typeof (value as Partial<TestOwner>).teardown === 'function';
}
