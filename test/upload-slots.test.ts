/**
 * CONV-1, OPS-5: an upload holds one of the server's upload slots from the
 * moment it is admitted until it is answered or its connection is gone, and
 * gives it back exactly once on every exit path: a client that aborts, a body
 * that stalls (408 after the idle-body timeout), an oversized or refused body,
 * bad credentials, a store that refuses the file. Aborts are sent over raw
 * sockets (node:net), as a dropped mobile connection would leave them.
 */
import t, { type Test } from 'tap';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { httpRequest, type HttpAnswer } from './support/http.js';
import { MAX_UPLOADS_IN_FLIGHT } from '../src/server/files-http.js';
import { VirtualClock } from '../actors/clock.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size = 4096): Buffer => Buffer.concat([PNG_SIGNATURE, randomBytes(size - PNG_SIGNATURE.length)]);

const filesPath = (conversationId: string, name = 'photo.png'): string =>
  `/v1/files?conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(name)}`;

const upload = (
  port: number,
  authorization: string,
  conversationId: string,
  body: Buffer,
  type = 'image/png',
): Promise<HttpAnswer> =>
  httpRequest(port, filesPath(conversationId), {
    method: 'POST',
    headers: { authorization, 'content-type': type },
    body,
  });

/** A raw socket that sends an upload's head declaring `declared` bytes, then `sent` of them, and then nothing. */
interface RawUpload {
  socket: Socket;
  /** Everything the server answered on this connection, once it closes. */
  answer: Promise<string>;
  /** The first answer with a JSON body, as soon as it has arrived (or whatever came, at close). */
  response: Promise<string>;
}

function rawUpload(
  port: number,
  authorization: string,
  conversationId: string,
  declared: number,
  sent: Buffer,
): Promise<RawUpload> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let whole: (text: string) => void = () => undefined;
    const response = new Promise<string>((r) => (whole = r));
    const answer = new Promise<string>((done) => {
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (/\r\n\r\n\{.*\}$/s.test(text)) whole(text);
      });
      socket.on('close', () => {
        whole(text);
        done(text);
      });
    });
    socket.once('error', reject);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(
        `POST ${filesPath(conversationId)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\nContent-Type: image/png\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      socket.write(sent, () => resolve({ socket, answer, response }));
    });
  });
}

/** The `switchboard_uploads_in_flight` gauge of GET /metrics. */
async function uploadsInFlight(s: TestServer): Promise<number> {
  const m = /^switchboard_uploads_in_flight (-?\d+)$/m.exec(await s.server.metrics.render());
  if (!m) throw new Error('no switchboard_uploads_in_flight metric');
  return Number(m[1]);
}

/** Polls the gauge (the server sees a closed socket a moment after the client closes it). */
async function waitForInFlight(s: TestServer, want: number): Promise<number> {
  let n = -1;
  for (let i = 0; i < 200; i++) {
    n = await uploadsInFlight(s);
    if (n === want) return n;
    await new Promise((r) => setTimeout(r, 10));
  }
  return n;
}

/**
 * An upload, repeated while it is refused for want of a slot: the server notices a closed socket a
 * moment after the client closes it (at most two seconds of 20 ms polls, then the last answer counts).
 */
async function uploadOnceFree(port: number, authorization: string, conversationId: string): Promise<HttpAnswer> {
  let answer = await upload(port, authorization, conversationId, png());
  for (let i = 0; i < 100 && answer.status === 503; i++) {
    await new Promise((r) => setTimeout(r, 20));
    answer = await upload(port, authorization, conversationId, png());
  }
  return answer;
}

async function visitorServer(t: Test, opts: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(t, opts);
  const { visitorId, conversationId } = await openConversation(s, {
    department: 'pre-sales',
    text: 'hello',
    clientMsgId: 'v0',
  });
  return { s, port: s.server.port, visitorId, conversationId, auth: `Visitor ${visitorId}` };
}

t.test('CONV-1 OPS-5: sixteen uploads aborted mid-body give back their slots; the next upload is stored', async (t) => {
  const { s, port, conversationId, auth } = await visitorServer(t);
  const raws: RawUpload[] = [];
  for (let i = 0; i < MAX_UPLOADS_IN_FLIGHT; i++)
    raws.push(await rawUpload(port, auth, conversationId, 1_000_000, png(10)));
  // Each holds a slot while its body is awaited: a seventeenth is refused.
  const probe = await upload(port, auth, conversationId, png());
  t.equal(probe.status, 503, 'all sixteen slots are taken while the bodies are awaited');
  for (const r of raws) r.socket.destroy();
  await Promise.all(raws.map((r) => r.answer));
  const after = await uploadOnceFree(port, auth, conversationId);
  t.equal(after.status, 201, `an upload after the aborts is stored (got ${after.status} ${after.body.toString()})`);
  for (let round = 0; round < 3; round++) {
    const again: RawUpload[] = [];
    for (let i = 0; i < MAX_UPLOADS_IN_FLIGHT; i++)
      again.push(await rawUpload(port, auth, conversationId, 1_000_000, png(10)));
    for (const r of again) r.socket.destroy();
    await Promise.all(again.map((r) => r.answer));
  }
  t.equal(
    (await uploadOnceFree(port, auth, conversationId)).status,
    201,
    'and after three more rounds of sixteen aborts',
  );
  t.equal(await waitForInFlight(s, 0), 0, 'no upload holds a slot at the end, none was given back twice');
});

t.test(
  'CONV-1 OPS-5: a body that sends nothing for the idle timeout is answered 408 and its slot given back (virtual clock)',
  async (t) => {
    const clock = new VirtualClock();
    const idleMs = 5000;
    const { s, port, conversationId, auth } = await visitorServer(t, { clock, uploadIdleMs: idleMs });
    const stalled = await rawUpload(port, auth, conversationId, 100_000, png(10));
    t.equal(await waitForInFlight(s, 1), 1, 'the stalled upload holds a slot');
    await clock.advance(idleMs - 1);
    t.equal(await uploadsInFlight(s), 1, 'one millisecond before the timeout it still waits');
    await clock.advance(1);
    const answer = await stalled.answer;
    t.match(answer, /^HTTP\/1\.1 408 /, 'answered 408 Request Timeout');
    t.match(answer, /"code":"timeout"/, 'with the code timeout');
    t.equal(await waitForInFlight(s, 0), 0, 'and its slot is given back');

    // A slow body that keeps sending is not cut off: each chunk restarts the wait.
    const bytes = png(3000);
    const slow = await rawUpload(port, auth, conversationId, bytes.length, bytes.subarray(0, 1000));
    await waitForInFlight(s, 1);
    for (const part of [bytes.subarray(1000, 2000), bytes.subarray(2000)]) {
      await clock.advance(idleMs - 1000);
      await new Promise<void>((r) => slow.socket.write(part, () => r()));
      // The server has the chunk once its idle timer moved on; give the loopback a few turns.
      await new Promise((r) => setTimeout(r, 50));
    }
    // The answer, not the close: the server keeps the connection open (keep-alive) after answering.
    const done = await slow.response;
    t.match(done, /^HTTP\/1\.1 201 /, 'a body sending a chunk within every idle period is stored');
    slow.socket.destroy();
    t.equal(await waitForInFlight(s, 0), 0, 'no slot held at the end');
  },
);

t.test(
  'CONV-1 OPS-5: every way an upload ends gives its slot back exactly once: 413, 415, 401, a store that fails, no disk space',
  async (t) => {
    const { s, port, conversationId, auth } = await visitorServer(t, { maxUploadBytes: 8192 });
    const store = s.server.store;
    const rounds = MAX_UPLOADS_IN_FLIGHT + 1;
    const paths: [string, number, string, () => Promise<HttpAnswer>, (() => () => void)?][] = [
      ['declared over the limit', 413, 'limit_exceeded', () => upload(port, auth, conversationId, png(9000))],
      [
        'chunked past the limit',
        413,
        'limit_exceeded',
        () =>
          httpRequest(port, filesPath(conversationId), {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'image/png' },
            body: [png(4000), png(4000), png(4000)],
          }),
      ],
      [
        'a type off the allowlist',
        415,
        'unsupported_media_type',
        () => upload(port, auth, conversationId, png(), 'application/x-msdownload'),
      ],
      [
        'bytes not of the declared type',
        415,
        'unsupported_media_type',
        () => upload(port, auth, conversationId, Buffer.from('not a png at all'), 'image/png'),
      ],
      ['a forged visitor id', 401, 'unauthorized', () => upload(port, 'Visitor v-forged', conversationId, png())],
      ['no credentials', 401, 'unauthorized', () => upload(port, '', conversationId, png())],
      [
        'a store that fails the write',
        503,
        'storage_failed',
        () => upload(port, auth, conversationId, png()),
        () => {
          const writeRecords = store.writeRecords.bind(store);
          store.writeRecords = (writes) =>
            writes.some((w) => w.key[0] === 'file-data')
              ? Promise.reject(new Error('injected: disk failure'))
              : writeRecords(writes);
          return () => void (store.writeRecords = writeRecords);
        },
      ],
      [
        'no disk space above the reserve',
        503,
        'storage_failed',
        () => upload(port, auth, conversationId, png()),
        () => {
          store.minFreeBytes = Number.MAX_SAFE_INTEGER;
          store.checkSpace();
          return () => {
            store.minFreeBytes = 0;
            store.checkSpace();
          };
        },
      ],
    ];
    for (const [what, status, code, send, arrange] of paths) {
      const restore = arrange?.();
      // One after another: were a slot kept by any of them, the seventeenth would be refused for want of one.
      const answers: HttpAnswer[] = [];
      for (let i = 0; i < rounds; i++) answers.push(await send());
      restore?.();
      // 503 is also the answer when no slot is free: the code tells them apart.
      t.same(
        answers.map((a) => `${a.status} ${a.json().error?.code}`),
        Array.from({ length: rounds }, () => `${status} ${code}`),
        `${what}: ${rounds} uploads, each answered ${status} ${code}, none refused for want of a slot`,
      );
      t.equal(await waitForInFlight(s, 0), 0, `${what}: no slot held afterwards, none given back twice`);
    }
    t.equal((await upload(port, auth, conversationId, png())).status, 201, 'and a good upload is stored');
  },
);
