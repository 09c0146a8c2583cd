/**
 * WEB-1: the server serves TLS itself from certificate and key files, and
 * reloads them on SIGHUP without dropping a connection: a connection open
 * before the reload keeps working, a new one sees the new certificate, and
 * files that cannot serve keep the old certificate (logged). Unusable files
 * at start end the process with exit 1 and the code `tls_invalid`. The
 * certificates are made by the test (support/tls-cert.ts).
 */
import t from 'tap';
import { connect } from 'node:tls';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { certDir, makeCertificate, type TestCertificate } from './support/tls-cert.js';
import { runCli, startServerProcess, type ServerProcess } from './support/process.js';
import { startTestServer, tempDataDir } from './support/server.js';

/** The fingerprint of the certificate a new TLS connection to `port` is shown. */
function presented(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

/** A visitor socket over wss that trusts exactly `cert`. */
function wssVisitor(port: number, cert: TestCertificate): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://localhost:${port}/v1/visitor`, { ca: cert.pem });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

let nextId = 1;
/** Sends one command and resolves with its answer. */
function ask(ws: WebSocket, frame: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const f = JSON.parse(data.toString()) as Record<string, unknown>;
      if (f.id !== id) return;
      ws.off('message', onMessage);
      resolve(f);
    };
    ws.on('message', onMessage);
    ws.once('close', (code) => reject(new Error(`closed (${code}) before the answer`)));
    ws.send(JSON.stringify({ ...frame, id }));
  });
}

/** Waits (polling the collected log lines) for a line with `msg`; returns it. */
async function logLine(p: ServerProcess, msg: string, from = 0): Promise<Record<string, unknown>> {
  for (let i = 0; i < 300; i++) {
    const line = p.logs.slice(from).find((l) => l.msg === msg);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log line "${msg}"`);
}

t.test('WEB-1 TLS: https and wss on the one port, the certificate from the files', async (t) => {
  const cert = makeCertificate(certDir(t), 'a');
  const s = await startTestServer(t, { tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
  t.ok(s.server.tls);
  t.equal(await presented(s.server.port), cert.fingerprint, 'the configured certificate is served');
  const health = await fetch(`https://127.0.0.1:${s.server.port}/healthz`).catch((err: Error) => err);
  t.ok(health instanceof Error, 'a client that does not trust the self-signed certificate is refused by its TLS');
  const ws = await wssVisitor(s.server.port, cert);
  const hello = await ask(ws, { type: 'hello' });
  t.equal(hello.type, 'ack', 'a visitor speaks the protocol over wss');
  ws.close();
});

t.test('WEB-1 TLS: SIGHUP reloads the certificate; open connections stay, new ones see the new one', async (t) => {
  const dir = certDir(t);
  const a = makeCertificate(dir, 'a');
  const b = makeCertificate(dir, 'b');
  const live = { certFile: join(dir, 'live.crt'), keyFile: join(dir, 'live.key') };
  copyFileSync(a.certFile, live.certFile);
  copyFileSync(a.keyFile, live.keyFile);
  const dataDir = tempDataDir();
  const p = await startServerProcess(dataDir, ['--tls-cert', live.certFile, '--tls-key', live.keyFile]);
  t.teardown(async () => {
    p.proc.kill('SIGTERM');
    await p.exited;
  });
  t.equal(await presented(p.port), a.fingerprint, 'certificate A at start');
  const before = await wssVisitor(p.port, a);
  t.equal((await ask(before, { type: 'hello' })).type, 'ack');
  let closed = false;
  before.on('close', () => (closed = true));

  // A renewal writes new files in place, then signals the server.
  copyFileSync(b.certFile, live.certFile);
  copyFileSync(b.keyFile, live.keyFile);
  let from = p.logs.length;
  p.proc.kill('SIGHUP');
  const reloaded = await logLine(p, 'TLS certificate reloaded: new connections use it, open ones keep theirs', from);
  t.match(reloaded, { tls: { fingerprint: b.fingerprint } });
  t.equal(await presented(p.port), b.fingerprint, 'a new connection sees certificate B');
  const start = await ask(before, { type: 'start', text: 'still here after the reload', clientMsgId: 'c1' });
  t.equal(start.type, 'ack', 'the connection opened before the reload keeps working');
  t.notOk(closed, 'and was never closed');
  const after = await wssVisitor(p.port, b);
  t.equal((await ask(after, { type: 'hello' })).type, 'ack', 'a new wss connection trusts B and is served');

  // A bad file at SIGHUP: the old certificate stays, the error is logged with its code.
  writeFileSync(live.certFile, 'not a certificate\n');
  from = p.logs.length;
  p.proc.kill('SIGHUP');
  const failed = await logLine(p, 'TLS certificate not reloaded: the old one stays in use', from);
  t.equal(failed.code, 'tls_invalid');
  t.equal(await presented(p.port), b.fingerprint, 'certificate B is still served');
  const conversationId = (start.result as { conversationId: string }).conversationId;
  const sent = await ask(before, { type: 'send', conversationId, clientMsgId: 'c2', text: 'after a failed reload' });
  t.equal(sent.type, 'ack', 'the open connection still works after a failed reload');
  const third = await wssVisitor(p.port, b);
  t.equal((await ask(third, { type: 'hello' })).type, 'ack', 'new connections are served with B');
  third.close();
  before.close();
  after.close();
});

t.test('WEB-1 TLS: unusable files stop the start with exit 1 and tls_invalid', async (t) => {
  const dir = certDir(t);
  const a = makeCertificate(dir, 'a');
  const b = makeCertificate(dir, 'b');
  const garbage = join(dir, 'garbage.pem');
  writeFileSync(garbage, 'hello\n');
  const cases: [string, string, string, RegExp][] = [
    ['a missing key file', a.certFile, join(dir, 'none.key'), /cannot read the TLS key file/],
    ['a certificate file that is no certificate', garbage, a.keyFile, /holds no PEM certificate/],
    ["another certificate's key", a.certFile, b.keyFile, /does not fit the certificate/],
  ];
  for (const [what, cert, key, reason] of cases) {
    const dataDir = tempDataDir();
    const r = await runCli(['start', '--data', dataDir, '--port', '0', '--tls-cert', cert, '--tls-key', key]);
    t.equal(r.code, 1, `${what}: exit 1`);
    t.match(r.stderr, /switchboard failed to start: tls_invalid: /, `${what}: the stable code`);
    t.match(r.stderr, reason, `${what}: says why`);
    t.notMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
  }
  const half = await runCli(['start', '--port', '0', '--tls-cert', a.certFile]);
  t.equal(half.code, 2, 'a certificate without a key is a usage error');
  t.match(half.stderr, /TLS needs both --tls-cert and --tls-key/);
});
