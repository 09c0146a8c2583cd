/**
 * CONV-1: files and images in messages, over real HTTP (upload, download)
 * and WebSockets (send with fileId, message events): size and type limits,
 * access limited to the conversation's participants and readers, and
 * durability of an acknowledged upload across kill -9.
 */
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';

import { httpRequest, type HttpAnswer } from './support/http.js';
import { startServerProcess } from './support/process.js';
import { createStaffWithToken } from './support/staff.js';
import type { ClientRequest } from 'node:http';
import { MAX_UPLOADS_IN_FLIGHT } from '../src/server/files-http.js';
import { interceptEvents } from './support/store-faults.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size = 4096): Buffer => Buffer.concat([PNG_SIGNATURE, randomBytes(size - PNG_SIGNATURE.length)]);
const pdf = (): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);

type Auth = { bearer: string } | { visitor: string } | { raw: string } | undefined;
const authHeader = (auth: Auth): Record<string, string> =>
  auth === undefined
    ? {}
    : {
        authorization:
          'bearer' in auth ? `Bearer ${auth.bearer}` : 'visitor' in auth ? `Visitor ${auth.visitor}` : auth.raw,
      };

const upload = (
  port: number,
  auth: Auth,
  conversationId: string,
  type: string,
  body: Buffer | Buffer[],
  name = 'photo.png',
): Promise<HttpAnswer> =>
  httpRequest(port, `/v1/files?conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { ...authHeader(auth), 'content-type': type },
    body,
  });

const download = (port: number, auth: Auth, fileId: string): Promise<HttpAnswer> =>
  httpRequest(port, `/v1/files/${encodeURIComponent(fileId)}`, { headers: authHeader(auth) });

/** How many files (metadata and bytes) the store holds. */
const storedFiles = (s: TestServer): { meta: number; data: number } => ({
  meta: [...s.server.store.records(['file'])].length,
  data: [...s.server.store.records(['file-data'])].length,
});

/** A test server (stopped at the test's end) with alice serving a visitor's conversation. */
async function servedServer(t: Test, opts: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(t, opts);
  return { s, port: s.server.port, ...(await served(s)) };
}

/** Alice online in pre-sales, and a visitor whose conversation she serves. */
async function served(
  s: TestServer,
  text = 'hello',
): Promise<{ alice: TestClient; v: TestClient; visitorId: string; conversationId: string }> {
  const alice = await onlineAgent(s, 'alice');
  const { v, visitorId, conversationId } = await openConversation(s, {
    department: 'pre-sales',
    text,
    clientMsgId: 'v0',
  });
  await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  return { alice, v, visitorId, conversationId };
}

const isMessage = (seq: unknown) => (e: Frame) => e.type === 'message' && e.seq === seq;

t.test(
  'CONV-1: a visitor uploads an image and sends it; the agent gets the message with the file and downloads the same bytes',
  async (t) => {
    const { s, port, alice, v, visitorId, conversationId } = await servedServer(t);

    const bytes = png(50_000);
    const up = await upload(port, { visitor: visitorId }, conversationId, 'image/png', bytes, 'holiday photo.png');
    t.equal(up.status, 201, 'created');
    const file = up.json().file as { id: string; name: string; type: string; size: number };
    t.match(file, { id: /^f-/, name: 'holiday photo.png', type: 'image/png', size: bytes.length });
    t.same(Object.keys(file).sort(), ['id', 'name', 'size', 'type'], 'the answer carries the metadata only');
    t.equal(up.headers.location, `/v1/files/${file.id}`);
    t.equal(up.headers.vary, 'Origin', 'the CORS answer depends on the Origin (test/widget-origins.test.ts)');

    const sent = await v.ok({ type: 'send', conversationId, clientMsgId: 'v1', text: 'see this', fileId: file.id });
    const event = await alice.waitFor(isMessage(sent.seq));
    t.same(event.file, file, "the agent's message event carries the file's metadata");
    t.equal(event.text, 'see this');
    t.same(event.from, { role: 'visitor', id: visitorId });
    t.same((await v.waitFor(isMessage(sent.seq))).file, file, 'the visitor gets the same event');
    t.match(
      await v.ok({ type: 'send', conversationId, clientMsgId: 'v1', fileId: file.id }),
      { seq: sent.seq, duplicate: true },
      'a retried send is stored once',
    );

    const got = await download(port, { bearer: s.cred('alice').token }, file.id);
    t.equal(got.status, 200);
    t.ok(got.body.equals(bytes), 'the agent downloads identical bytes');
    t.equal(got.headers['content-type'], 'image/png');
    t.equal(got.headers['content-length'], String(bytes.length));
    t.equal(
      got.headers['content-disposition'],
      `inline; filename="holiday photo.png"; filename*=UTF-8''holiday%20photo.png`,
      'an image may be shown inline',
    );
    t.equal(got.headers['x-content-type-options'], 'nosniff');
    t.equal(got.headers['content-security-policy'], "default-src 'none'; sandbox");
    t.equal(got.headers['cache-control'], 'private, no-store');
    t.ok((await download(port, { visitor: visitorId }, file.id)).body.equals(bytes), 'the visitor downloads it too');

    // The agent answers with a document only, no text.
    const doc = pdf();
    const docUp = await upload(
      port,
      { bearer: s.cred('alice').token },
      conversationId,
      'application/pdf',
      doc,
      '../../etc/报价单 "v2".pdf',
    );
    t.equal(docUp.status, 201);
    const docFile = docUp.json().file as { id: string; name: string };
    t.equal(docFile.name, '报价单 _v2_.pdf', 'the name loses its directories and quotes');
    const reply = await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', fileId: docFile.id });
    const docEvent = await v.waitFor(isMessage(reply.seq));
    t.same(docEvent.file, docFile);
    t.notOk('text' in docEvent, 'a file-only message has no text');
    const docGot = await download(port, { visitor: visitorId }, docFile.id);
    t.ok(docGot.body.equals(doc));
    t.equal(
      docGot.headers['content-disposition'],
      `attachment; filename="___ _v2_.pdf"; filename*=UTF-8''${encodeURIComponent('报价单 _v2_.pdf')}`,
      'anything but an image is an attachment, with an ASCII fallback name',
    );

    // History: a reconnecting client reads the messages with their files.
    const again = await s.visitor();
    await again.ok({ type: 'hello', visitorId });
    await again.resumeAll(conversationId, 0);
    const history = again
      .conversationEvents(conversationId)
      .filter((e) => e.type === 'message' && e.file !== undefined);
    t.same(
      history.map((e) => (e.file as { id: string }).id),
      [file.id, docFile.id],
      'resume replays the files',
    );

    // Plain text is checked as UTF-8 text and served as such.
    const text = Buffer.from('order #1234\n谢谢\n');
    const textUp = await upload(
      port,
      { visitor: visitorId },
      conversationId,
      'text/plain; charset=utf-8',
      text,
      'notes.txt',
    );
    t.match(textUp.json().file, { type: 'text/plain', size: text.length });
    const textGot = await download(port, { visitor: visitorId }, (textUp.json().file as { id: string }).id);
    t.equal(textGot.headers['content-type'], 'text/plain; charset=utf-8');
    t.ok(textGot.body.equals(text));
  },
);

t.test(
  'CONV-1: an upload over the size limit is refused with 413 as soon as it passes the limit, and nothing is stored',
  async (t) => {
    const limit = 64 * 1024;
    const { s, port, visitorId, conversationId } = await servedServer(t, { maxUploadBytes: limit });
    const auth = { visitor: visitorId };

    const declared = await upload(port, auth, conversationId, 'image/png', png(limit + 1));
    t.equal(declared.status, 413, 'a body declared too long');
    t.match(declared.json(), { error: { code: 'limit_exceeded', field: 'body' } });

    const chunked = await upload(port, auth, conversationId, 'image/png', [png(40_000), randomBytes(40_000)]);
    t.equal(chunked.status, 413, 'a chunked body that grows past the limit');

    // The client never finishes its request: the answer cannot have waited for the end of the body.
    let held: ClientRequest | undefined;
    const streaming = await httpRequest(port, `/v1/files?conversationId=${conversationId}&name=big.png`, {
      method: 'POST',
      headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'image/png' },
      body: [png(limit + 1)],
      leaveOpen: (req) => (held = req),
    });
    held?.destroy();
    t.equal(streaming.status, 413, 'answered while the body is still open');
    t.same(storedFiles(s), { meta: 0, data: 0 }, 'nothing stored');

    const exact = await upload(port, auth, conversationId, 'image/png', png(limit));
    t.equal(exact.status, 201, 'a file of exactly the limit is accepted');
    t.same(storedFiles(s), { meta: 1, data: 1 });
  },
);

t.test('CONV-1: the default limit is 10 MiB, and a 10 MiB file is stored and read back whole', async (t) => {
  const { s, port, visitorId, conversationId } = await servedServer(t);
  const big = png(10 * 1024 * 1024);
  const up = await upload(port, { visitor: visitorId }, conversationId, 'image/png', big);
  t.equal(up.status, 201);
  const got = await download(port, { visitor: visitorId }, (up.json().file as { id: string }).id);
  t.ok(got.body.equals(big), '10 MiB back, byte for byte');
  const over = await upload(port, { visitor: visitorId }, conversationId, 'image/png', png(10 * 1024 * 1024 + 1));
  t.equal(over.status, 413);
  t.same(storedFiles(s), { meta: 1, data: 1 });
});

t.test(
  'CONV-1: a type off the allowlist, or bytes that are not of the declared type, are refused with 415',
  async (t) => {
    const { s, port, visitorId, conversationId } = await servedServer(t);
    const auth = { visitor: visitorId };

    const fake = await upload(
      port,
      auth,
      conversationId,
      'image/png',
      Buffer.from('<html><script>alert(1)</script></html>'),
    );
    t.equal(fake.status, 415, 'declared image/png, but not PNG bytes');
    t.match(fake.json(), { error: { code: 'unsupported_media_type', field: 'body' } });
    t.equal((await upload(port, auth, conversationId, 'image/jpeg', png())).status, 415, 'PNG bytes declared as JPEG');
    t.equal(
      (await upload(port, auth, conversationId, 'text/plain', Buffer.from([0x61, 0xff, 0xfe, 0x62]))).status,
      415,
      'text that is not UTF-8',
    );
    t.equal(
      (await upload(port, auth, conversationId, 'text/plain', Buffer.from('a\0b'))).status,
      415,
      'text with NUL bytes',
    );
    const svg = await upload(
      port,
      auth,
      conversationId,
      'image/svg+xml',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    );
    t.equal(svg.status, 415, 'SVG is not allowed');
    t.match(svg.json(), { error: { code: 'unsupported_media_type', field: 'content-type' } });
    t.equal(
      (await upload(port, auth, conversationId, 'text/html', Buffer.from('<p>hi</p>'))).status,
      415,
      'HTML is not allowed',
    );
    const none = await httpRequest(port, `/v1/files?conversationId=${conversationId}`, {
      method: 'POST',
      headers: { authorization: `Visitor ${visitorId}` },
      body: png(),
    });
    t.equal(none.status, 415, 'no Content-Type');
    const empty = await upload(port, auth, conversationId, 'text/plain', Buffer.alloc(0));
    t.equal(empty.status, 400);
    t.match(empty.json(), { error: { code: 'invalid_field', field: 'body' } }, 'an empty file');
    t.same(storedFiles(s), { meta: 0, data: 0 }, 'nothing stored');

    for (const [type, bytes] of [
      ['image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(100)])],
      ['image/gif', Buffer.concat([Buffer.from('GIF89a'), randomBytes(100)])],
      ['image/webp', Buffer.concat([Buffer.from('RIFF'), randomBytes(4), Buffer.from('WEBPVP8 '), randomBytes(100)])],
    ] as const) {
      t.equal(
        (await upload(port, auth, conversationId, type, bytes)).status,
        201,
        `${type} with its own bytes is accepted`,
      );
    }
  },
);

t.test(
  'CONV-1: only those who may read the conversation download its files; others get the same 404 as for an unknown file',
  async (t) => {
    const { s, port, visitorId, conversationId } = await servedServer(t);
    const up = await upload(port, { visitor: visitorId }, conversationId, 'image/png', png());
    const fileId = (up.json().file as { id: string }).id;

    const unknown = await download(port, { visitor: visitorId }, 'f-00000000-0000-0000-0000-000000000000');
    t.equal(unknown.status, 404);
    t.same(unknown.json(), { error: { code: 'not_found', message: 'no such file', field: 'id' } });

    const stranger = await openConversation(s, { department: 'after-sales' });
    const bob = s.cred('bob').token; // agent of after-sales
    for (const [who, auth] of [
      ['another visitor', { visitor: stranger.visitorId }],
      ['an agent of another department', { bearer: bob }],
    ] as const) {
      const answer = await download(port, auth, fileId);
      t.equal(answer.status, 404, `${who}: download`);
      t.same(answer.json(), unknown.json(), `${who}: the answer of an unknown file`);
      const up2 = await upload(port, auth, conversationId, 'image/png', png());
      t.equal(up2.status, 404, `${who}: upload`);
      t.match(up2.json(), { error: { code: 'not_found', field: 'conversationId' } });
    }
    // An agent of the same department who does not serve it may not read it either.
    t.equal(
      (await download(port, { bearer: await addAgent(s, 'dave', 'pre-sales') }, fileId)).status,
      404,
      'a colleague who does not serve it',
    );

    // Supervisors of its department and admins read it, but are not its writers.
    for (const id of ['carol', 'admin']) {
      t.equal((await download(port, { bearer: s.cred(id).token }, fileId)).status, 200, `${id} downloads`);
      const denied = await upload(port, { bearer: s.cred(id).token }, conversationId, 'image/png', png());
      t.equal(denied.status, 403, `${id} may not upload`);
      t.match(denied.json(), { error: { code: 'forbidden' } });
    }
    t.same(storedFiles(s), { meta: 1, data: 1 }, 'no refused upload was stored');
  },
);

/** Creates an agent through the workspace actor; returns their sign-in token. */
async function addAgent(s: TestServer, id: string, department: string): Promise<string> {
  return createStaffWithToken(s.server.directory, { id, name: id, role: 'agent', departments: [department] });
}

t.test('CONV-1: without valid credentials uploads and downloads get 401', async (t) => {
  const { s, port, visitorId, conversationId } = await servedServer(t);
  const fileId = (
    (await upload(port, { visitor: visitorId }, conversationId, 'image/png', png())).json().file as { id: string }
  ).id;
  const forged =
    `${visitorId.slice(0, -2)}AA` === visitorId ? `${visitorId.slice(0, -2)}BA` : `${visitorId.slice(0, -2)}AA`;
  for (const [what, auth] of [
    ['no Authorization', undefined],
    ['an unknown staff token', { bearer: 'not-a-token' }],
    ['a visitor id with a forged signature', { visitor: forged }],
    ['another scheme', { raw: `Basic ${Buffer.from('alice:x').toString('base64')}` }],
  ] as const) {
    const down = await download(port, auth, fileId);
    t.equal(down.status, 401, `${what}: download`);
    t.match(down.json(), { error: { code: 'unauthorized' } });
    t.equal(down.headers['www-authenticate'], 'Bearer, Visitor');
    t.equal((await upload(port, auth, conversationId, 'image/png', png())).status, 401, `${what}: upload`);
  }
  t.same(storedFiles(s), { meta: 1, data: 1 });
});

t.test(
  'CONV-1: a message carries only a file its sender uploaded to that conversation, and needs text or a file',
  async (t) => {
    const s = await startTestServer(t);
    const port = s.server.port;
    const first = await served(s, 'first');
    const second = await openConversation(s, { department: 'pre-sales', text: 'second' });
    await first.alice.waitFor((e) => e.type === 'assigned' && e.conversationId === second.conversationId);
    const alice = { bearer: s.cred('alice').token };

    const fromAlice = (
      (await upload(port, alice, first.conversationId, 'image/png', png())).json().file as { id: string }
    ).id;
    const wrongConversation = await first.alice.command({
      type: 'send',
      conversationId: second.conversationId,
      clientMsgId: 'x1',
      fileId: fromAlice,
    });
    t.match(
      wrongConversation,
      { type: 'error', code: 'not_found', field: 'fileId' },
      'a file uploaded to another conversation',
    );
    const notTheSender = await first.v.command({
      type: 'send',
      conversationId: first.conversationId,
      clientMsgId: 'x2',
      fileId: fromAlice,
    });
    t.match(
      notTheSender,
      { type: 'error', code: 'not_found', field: 'fileId' },
      "the agent's file sent by the visitor",
    );
    const unknownFile = await first.v.command({
      type: 'send',
      conversationId: first.conversationId,
      clientMsgId: 'x3',
      fileId: 'f-nope',
    });
    t.match(unknownFile, { type: 'error', code: 'not_found', field: 'fileId' }, 'a file that does not exist');
    const nothing = await first.v.command({ type: 'send', conversationId: first.conversationId, clientMsgId: 'x4' });
    t.match(nothing, { type: 'error', code: 'invalid_field', field: 'text' }, 'neither text nor a file');
    t.notOk(
      [...first.v.events, ...second.v.events].some((e) => e.type === 'message' && e.file !== undefined),
      'no refused message reached anyone',
    );
    t.match(
      await first.alice.ok({
        type: 'send',
        conversationId: first.conversationId,
        clientMsgId: 'x5',
        fileId: fromAlice,
      }),
      { duplicate: false },
      'in its own conversation it is sent',
    );

    // A resolved conversation takes no more files from staff; its readers still download them.
    await first.alice.ok({ type: 'resolve', conversationId: first.conversationId });
    const late = await upload(port, alice, first.conversationId, 'image/png', png());
    t.equal(late.status, 409, 'staff cannot upload to a resolved conversation');
    t.match(late.json(), { error: { code: 'conflict' } });
    t.equal(
      (await download(port, { visitor: first.visitorId }, fromAlice)).status,
      200,
      'the visitor still downloads from a resolved conversation',
    );
    // XFER-7: the customer may: sending the file reopens the conversation, and the message keeps it.
    const customerLate = await upload(port, { visitor: first.visitorId }, first.conversationId, 'image/png', png());
    t.equal(customerLate.status, 201, "the customer's upload to a resolved conversation is taken");
    const lateId = (customerLate.json().file as { id: string }).id;
    const sent = await first.v.ok({
      type: 'send',
      conversationId: first.conversationId,
      clientMsgId: 'x6',
      fileId: lateId,
    });
    await first.v.waitFor((e) => e.type === 'reopened' && e.conversationId === first.conversationId);
    const reopenedWith = await first.v.waitFor(isMessage(sent.seq));
    t.match(
      reopenedWith,
      { from: { role: 'visitor' }, file: { id: lateId, type: 'image/png' } },
      'the reopening message carries the file',
    );

    const missing = await httpRequest(port, '/v1/files?name=a.png', {
      method: 'POST',
      headers: { authorization: `Visitor ${first.visitorId}`, 'content-type': 'image/png' },
      body: png(),
    });
    t.equal(missing.status, 400);
    t.match(missing.json(), { error: { code: 'invalid_field', field: 'conversationId' } });
    const preflight = await httpRequest(port, '/v1/files', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com' },
    });
    t.equal(preflight.status, 204);
    t.match(
      preflight.headers,
      {
        'access-control-allow-origin': 'https://shop.example.com',
        'access-control-allow-headers': 'authorization, content-type',
        vary: 'Origin',
      },
      'CORS preflight',
    );
  },
);

t.test('CONV-1 OPS-1: a file the store refuses is answered storage_failed (503), never 201', async (t) => {
  const { s, port, visitorId, conversationId } = await servedServer(t);
  let fail = true;
  // Through store-faults: the file's records may reach the store on their own or within a turn's batch.
  interceptEvents(s.server.store, {
    refuseRecords: (writes) =>
      fail && writes.some((w) => w.key[0] === 'file-data')
        ? Promise.reject(new Error('injected: disk full'))
        : undefined,
  });
  const refused = await upload(port, { visitor: visitorId }, conversationId, 'image/png', png());
  t.equal(refused.status, 503);
  t.match(refused.json(), { error: { code: 'storage_failed' } });
  fail = false;
  t.equal(
    (await upload(port, { visitor: visitorId }, conversationId, 'image/png', png())).status,
    201,
    'a retry is stored',
  );
});

t.test('CONV-1 OPS-4: a graceful shutdown waits for a file being stored, so its 201 is not lost', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const s = await startTestServer(t, { dataDir, keepData: true });
  const { v, visitorId, conversationId } = await served(s);
  const store = s.server.store;
  const writeRecords = store.writeRecords.bind(store);
  let storing!: () => void;
  const started = new Promise<void>((r) => (storing = r));
  // The file's write is held back a while, as a slow disk would.
  store.writeRecords = (writes) => {
    if (!writes.some((w) => w.key[0] === 'file-data')) return writeRecords(writes);
    storing();
    return new Promise((r) => setTimeout(r, 150)).then(() => writeRecords(writes));
  };
  const bytes = png();
  const answer = upload(s.server.port, { visitor: visitorId }, conversationId, 'image/png', bytes);
  await started;
  const closed = s.server.close();
  t.equal((await answer).status, 201, 'answered although shutdown began meanwhile');
  await closed;
  v.ws.terminate();

  const again = await startTestServer(t, { dataDir, keepData: true });
  const got = await download(
    again.server.port,
    { visitor: visitorId },
    ((await answer).json().file as { id: string }).id,
  );
  t.ok(got.body.equals(bytes), 'and stored');
});

t.test('CONV-1 OPS-1: an acknowledged upload survives kill -9 and is downloadable after the restart', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  let server = await startServerProcess(dataDir);
  t.teardown(() => server.proc.kill('SIGKILL'));
  const v = await TestClient.connect(`ws://127.0.0.1:${server.port}/v1/visitor`);
  const { visitorId } = (await v.ok({ type: 'hello' })) as { visitorId: string };
  const { conversationId } = (await v.ok({ type: 'start', department: 'pre-sales' })) as { conversationId: string };
  const bytes = png(1024 * 1024);
  const up = await upload(server.port, { visitor: visitorId }, conversationId, 'image/png', bytes);
  t.equal(up.status, 201);
  // Killed the moment the answer is in: nothing after the commit gets a chance to run.
  server.proc.kill('SIGKILL');
  t.match(await server.exited, { signal: 'SIGKILL' });
  v.ws.terminate();

  server = await startServerProcess(dataDir);
  const fileId = (up.json().file as { id: string }).id;
  const got = await download(server.port, { visitor: visitorId }, fileId);
  t.equal(got.status, 200);
  t.ok(got.body.equals(bytes), 'the same bytes after the restart');
  const v2 = await TestClient.connect(`ws://127.0.0.1:${server.port}/v1/visitor`);
  await v2.ok({ type: 'hello', visitorId });
  t.match(
    await v2.ok({ type: 'send', conversationId, clientMsgId: 'after', fileId }),
    { duplicate: false },
    'and can still be sent',
  );
  v2.ws.terminate();
  server.proc.kill('SIGTERM');
  await server.exited;
});

t.test(
  'CONV-1 OPS-5: at most 16 uploads arrive at once; the next is refused at once (503) and nothing is kept of it',
  async (t) => {
    const { s, port, visitorId, conversationId } = await servedServer(t);
    const held: ClientRequest[] = [];
    const pending: Promise<HttpAnswer>[] = [];
    for (let i = 0; i < MAX_UPLOADS_IN_FLIGHT; i++) {
      let release!: () => void;
      const started = new Promise<void>((r) => (release = r));
      pending.push(
        httpRequest(port, `/v1/files?conversationId=${encodeURIComponent(conversationId)}&name=slow-${i}.png`, {
          method: 'POST',
          headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'image/png' },
          body: [png(1024)],
          leaveOpen: (req) => (held.push(req), release()),
        }),
      );
      await started;
    }
    await new Promise((r) => setTimeout(r, 100));
    const refused = await upload(port, { visitor: visitorId }, conversationId, 'image/png', png());
    t.equal(refused.status, 503, 'the seventeenth upload is refused while sixteen arrive');
    t.match(refused.json(), { error: { code: 'unavailable' } });
    for (const req of held) req.end();
    const answers = await Promise.all(pending);
    t.ok(
      answers.every((a) => a.status === 201),
      'the sixteen complete',
    );
    t.equal(
      (await upload(port, { visitor: visitorId }, conversationId, 'image/png', png())).status,
      201,
      'and then uploads are taken again',
    );
    t.same(
      storedFiles(s),
      { meta: MAX_UPLOADS_IN_FLIGHT + 1, data: MAX_UPLOADS_IN_FLIGHT + 1 },
      'nothing of the refused one was stored',
    );
  },
);
