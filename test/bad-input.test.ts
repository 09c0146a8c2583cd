/**
 * OPS-5: bad input of any kind gets an error frame with a stable code (and the
 * command id when one was readable), never a crash and never a state change.
 * Table-driven over both endpoints (/v1/visitor, /v1/staff) and both frame
 * kinds (JSON text, msgpack binary), over real WebSockets to a real server.
 */
import t from 'tap';
import WebSocket from 'ws';
import { Packr } from 'msgpackr';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { AckFrame, ErrorFrame, type CommandId } from '../protocol/frames.js';
import type { ErrorCode } from '../protocol/errors.js';
import { Limits } from '../protocol/limits.js';
import { Keys } from '../actors/keyspace.js';
import { conversationStream } from '../actors/conversation/records.js';

const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const errorFrame = TypeCompiler.Compile(ErrorFrame);
const ackFrame = TypeCompiler.Compile(AckFrame);

/**
 * What uWebSockets.js does with an oversized frame (> maxPayloadLength) and with
 * invalid UTF-8 in a text frame: it drops the TCP connection without sending a
 * close frame, so both ends report 1006 (abnormal closure). Measured against
 * uWS.js v20.30; protocol/errors.ts CloseCodes.tooLarge (1009) is not what is sent.
 */
const UWS_FORCE_CLOSE = 1006;

// ---- helpers ---------------------------------------------------------------

const kinds = [
  { binary: false, label: 'JSON text' },
  { binary: true, label: 'msgpack binary' },
] as const;

function encode(value: unknown, binary: boolean): Buffer | string {
  return binary ? packr.pack(value) : JSON.stringify(value);
}

/** Sends one raw frame and resolves with the ack or error frame that answers it. */
async function answer(c: TestClient, data: Buffer | string, binary: boolean): Promise<Frame> {
  const seen = new Set(c.events);
  c.sendBytes(data, binary);
  return c.waitFor((f) => (f.type === 'ack' || f.type === 'error') && !seen.has(f), 15_000);
}

const fixstr = (s: string): Buffer => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([0xa0 | b.length]), b]);
};
/** A msgpack map from already-encoded keys and values. */
const mpMap = (...entries: Buffer[]): Buffer => Buffer.concat([Buffer.from([0x80 | (entries.length / 2)]), ...entries]);

interface Case {
  name: string;
  /** A value sent encoded in the connection's kind... */
  value?: unknown;
  /** ...or a raw frame for JSON connections only... */
  json?: string;
  /** ...or a raw frame for msgpack connections only. */
  msgpack?: Buffer;
  code: ErrorCode;
  field?: string;
  /** The field when msgpack names it differently (msgpackr renames a `__proto__` key to `__proto_`). */
  msgpackField?: string;
  /** The id the error must echo; absent when the frame had no readable id. */
  id?: CommandId;
}

/** Runs every case that applies to this kind of connection; each must get exactly the error described. */
async function runCases(t: Asserts, c: TestClient, binary: boolean, cases: readonly Case[]): Promise<number> {
  let ran = 0;
  for (const k of cases) {
    let data: Buffer | string;
    if (k.value !== undefined) data = encode(k.value, binary);
    else if (!binary && k.json !== undefined) data = k.json;
    else if (binary && k.msgpack !== undefined) data = k.msgpack;
    else continue;
    ran++;
    const got = await answer(c, data, binary);
    const field = binary && k.msgpackField !== undefined ? k.msgpackField : k.field;
    t.same(
      { type: got.type, code: got.code, field: got.field, id: got.id },
      { type: 'error', code: k.code, field, id: k.id },
      `${k.name} → ${k.code}${field ? ` (${field})` : ''}${k.id !== undefined ? ` id ${String(k.id)}` : ', no id'}`,
    );
    if (!errorFrame.Check(got)) t.fail(`${k.name}: answer is not a valid error frame: ${JSON.stringify(got)}`);
    // A message cut in the middle of a surrogate pair would be invalid UTF-8 in a msgpack answer.
    if (typeof got.message !== 'string' || /\p{Cs}/u.test(got.message))
      t.fail(`${k.name}: message is not well-formed text: ${JSON.stringify(got.message)}`);
  }
  return ran;
}

/** The part of tap's test object runCases uses. */
interface Asserts {
  same(found: unknown, wanted: unknown, message: string): boolean;
  fail(message: string): boolean;
}

interface Ctx {
  /** A conversation this connection may write to (or, for staff, an existing one they do not serve). */
  own: string;
}

/** Bad frames whose answer does not depend on the endpoint. */
function genericCases(x: Ctx): Case[] {
  const send = { type: 'send', conversationId: x.own, text: 'never stored' };
  const resume = { type: 'resume', conversationId: x.own };
  const deepJson = '['.repeat(20000) + ']'.repeat(20000);
  return [
    // Not an object.
    { name: 'empty array', value: [], code: 'bad_frame' },
    { name: 'array wrapping a valid frame', value: [{ type: 'ping', id: 'w1' }], code: 'bad_frame' },
    { name: 'string', value: 'ping', code: 'bad_frame' },
    { name: 'number', value: 42, code: 'bad_frame' },
    { name: 'null', value: null, code: 'bad_frame' },
    { name: 'boolean', value: true, code: 'bad_frame' },
    // Malformed JSON.
    { name: 'truncated JSON', json: '{"type":"ping","id":"j1"', code: 'bad_frame' },
    { name: 'JSON with trailing garbage', json: '{"type":"ping","id":"j2"} x', code: 'bad_frame' },
    { name: 'empty text frame', json: '', code: 'bad_frame' },
    { name: 'JSON trailing comma', json: '{"type":"ping","id":"j3",}', code: 'bad_frame' },
    { name: 'single-quoted JSON', json: "{'type':'ping','id':'j4'}", code: 'bad_frame' },
    { name: 'NaN', json: 'NaN', code: 'bad_frame' },
    { name: 'deeply nested JSON array', json: deepJson, code: 'bad_frame' },
    {
      name: 'deeply nested JSON in an extra field',
      json: `{"type":"ping","id":"j5","x":${deepJson}}`,
      code: 'invalid_field',
      field: 'x',
      id: 'j5',
    },
    { name: 'id 1e400 (Infinity)', json: '{"type":"ping","id":1e400}', code: 'invalid_field', field: 'id' },
    {
      name: 'id above 2^64',
      json: '{"type":"ping","id":123456789012345678901234567890}',
      code: 'invalid_field',
      field: 'id',
    },
    {
      name: 'unpaired surrogate in text (not encodable as UTF-8)',
      json: `{"type":"send","id":"j6","conversationId":"${x.own}","clientMsgId":"sur-1","text":"a\\ud800b"}`,
      code: 'invalid_field',
      field: 'text',
      id: 'j6',
    },
    // Malformed msgpack.
    { name: 'msgpack 0xc1 (never used)', msgpack: Buffer.from([0xc1]), code: 'bad_frame' },
    {
      name: 'msgpack bin at top level',
      msgpack: packr.pack(Buffer.from('{"type":"ping","id":"m4"}')),
      code: 'bad_frame',
    },
    { name: 'msgpack timestamp at top level', msgpack: Buffer.from([0xd6, 0xff, 0, 0, 0, 1]), code: 'bad_frame' },
    { name: 'empty binary frame', msgpack: Buffer.alloc(0), code: 'bad_frame' },
    { name: 'truncated msgpack', msgpack: packr.pack({ type: 'ping', id: 'm0' }).subarray(0, 10), code: 'bad_frame' },
    {
      name: 'msgpack with a trailing value',
      msgpack: Buffer.concat([packr.pack({ type: 'ping', id: 'm0' }), Buffer.from([0x00])]),
      code: 'bad_frame',
    },
    {
      name: 'unknown msgpack extension',
      msgpack: mpMap(fixstr('type'), fixstr('ping'), fixstr('id'), Buffer.from([0xd4, 0x05, 0x01])),
      code: 'bad_frame',
    },
    { name: 'str32 claiming 4 GiB', msgpack: Buffer.from([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]), code: 'bad_frame' },
    {
      name: 'map32 claiming 4G entries',
      msgpack: Buffer.from([0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x61]),
      code: 'bad_frame',
    },
    {
      name: 'deeply nested msgpack',
      msgpack: Buffer.concat([Buffer.alloc(20000, 0x91), Buffer.from([0x01])]),
      code: 'bad_frame',
    },
    {
      name: 'invalid UTF-8 in type (msgpackr decodes it to U+FFFD)',
      msgpack: mpMap(fixstr('type'), Buffer.from([0xa2, 0xc0, 0xaf]), fixstr('id'), fixstr('m1')),
      code: 'unknown_type',
      field: 'type',
      id: 'm1',
    },
    {
      name: 'invalid UTF-8 in conversationId',
      msgpack: mpMap(
        fixstr('type'),
        fixstr('resume'),
        fixstr('id'),
        fixstr('m2'),
        fixstr('conversationId'),
        Buffer.from([0xa2, 0xff, 0xfe]),
        fixstr('lastSeq'),
        Buffer.from([0x00]),
      ),
      code: 'invalid_field',
      field: 'conversationId',
      id: 'm2',
    },
    {
      name: 'timestamp extension as id',
      msgpack: mpMap(fixstr('type'), fixstr('ping'), fixstr('id'), Buffer.from([0xd6, 0xff, 0, 0, 0, 1])),
      code: 'invalid_field',
      field: 'id',
    },
    {
      name: 'uint64 max as id',
      msgpack: mpMap(
        fixstr('type'),
        fixstr('ping'),
        fixstr('id'),
        Buffer.from([0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      ),
      code: 'invalid_field',
      field: 'id',
    },
    {
      name: 'bin instead of text',
      msgpack: packr.pack({ ...send, id: 'm3', clientMsgId: 'bin-1', text: Buffer.from('hi') }),
      code: 'invalid_field',
      field: 'text',
      id: 'm3',
    },
    // Type.
    { name: 'unknown type', value: { type: 'nope', id: 'g1' }, code: 'unknown_type', field: 'type', id: 'g1' },
    {
      name: 'unknown type, numeric id',
      value: { type: 'nope', id: 123456 },
      code: 'unknown_type',
      field: 'type',
      id: 123456,
    },
    { name: 'type missing', value: { id: 'g2' }, code: 'unknown_type', field: 'type', id: 'g2' },
    { name: 'type is a number', value: { type: 7, id: 'g3' }, code: 'unknown_type', field: 'type', id: 'g3' },
    { name: 'type is an array', value: { type: ['ping'], id: 'g4' }, code: 'unknown_type', field: 'type', id: 'g4' },
    { name: 'type is an object', value: { type: {}, id: 'g5' }, code: 'unknown_type', field: 'type', id: 'g5' },
    { name: 'type in upper case', value: { type: 'PING', id: 'g6' }, code: 'unknown_type', field: 'type', id: 'g6' },
    { name: 'type __proto__', value: { type: '__proto__', id: 'g7' }, code: 'unknown_type', field: 'type', id: 'g7' },
    {
      name: 'type constructor',
      value: { type: 'constructor', id: 'g8' },
      code: 'unknown_type',
      field: 'type',
      id: 'g8',
    },
    { name: 'type toString', value: { type: 'toString', id: 'g9' }, code: 'unknown_type', field: 'type', id: 'g9' },
    {
      name: 'long type cut in a surrogate pair',
      value: { type: `${'a'.repeat(39)}💥`, id: 'g11' },
      code: 'unknown_type',
      field: 'type',
      id: 'g11',
    },
    {
      name: 'type hasOwnProperty',
      value: { type: 'hasOwnProperty', id: 'g10' },
      code: 'unknown_type',
      field: 'type',
      id: 'g10',
    },
    // Command id.
    { name: 'id missing', value: { type: 'ping' }, code: 'invalid_field', field: 'id' },
    { name: 'id negative', value: { type: 'ping', id: -1 }, code: 'invalid_field', field: 'id' },
    { name: 'id fractional', value: { type: 'ping', id: 1.5 }, code: 'invalid_field', field: 'id' },
    { name: 'id empty', value: { type: 'ping', id: '' }, code: 'invalid_field', field: 'id' },
    {
      name: 'id too long',
      value: { type: 'ping', id: 'x'.repeat(Limits.maxIdLength + 1) },
      code: 'invalid_field',
      field: 'id',
    },
    { name: 'id boolean', value: { type: 'ping', id: true }, code: 'invalid_field', field: 'id' },
    { name: 'id null', value: { type: 'ping', id: null }, code: 'invalid_field', field: 'id' },
    { name: 'id object', value: { type: 'ping', id: {} }, code: 'invalid_field', field: 'id' },
    { name: 'id array', value: { type: 'ping', id: [1] }, code: 'invalid_field', field: 'id' },
    { name: 'id 2^53 (unsafe integer)', value: { type: 'ping', id: 2 ** 53 }, code: 'invalid_field', field: 'id' },
    // Unknown extra fields, including prototype-pollution keys.
    {
      name: 'unknown extra field',
      value: { type: 'ping', id: 'e1', extra: true },
      code: 'invalid_field',
      field: 'extra',
      id: 'e1',
    },
    {
      name: 'constructor key',
      value: { type: 'ping', id: 'e2', constructor: { prototype: { polluted: true } } },
      code: 'invalid_field',
      field: 'constructor',
      id: 'e2',
    },
    {
      name: '__proto__ key',
      value: JSON.parse('{"type":"ping","id":"e3","__proto__":{"polluted":true}}') as unknown,
      code: 'invalid_field',
      field: '__proto__',
      msgpackField: '__proto_',
      id: 'e3',
    },
    {
      name: 'prototype key',
      value: { type: 'ping', id: 'e4', prototype: { polluted: true } },
      code: 'invalid_field',
      field: 'prototype',
      id: 'e4',
    },
    {
      name: 'valid send plus an extra field',
      value: { ...send, id: 'e5', clientMsgId: 'extra-1', extra: 1 },
      code: 'invalid_field',
      field: 'extra',
      id: 'e5',
    },
    // Missing or wrong-typed fields.
    {
      name: 'send without conversationId, clientMsgId, text',
      value: { type: 'send', id: 's1' },
      code: 'invalid_field',
      field: 'conversationId',
      id: 's1',
    },
    {
      name: 'send without text',
      value: { type: 'send', id: 's2', conversationId: x.own, clientMsgId: 'b-2' },
      code: 'invalid_field',
      field: 'text',
      id: 's2',
    },
    {
      name: 'send without clientMsgId',
      value: { ...send, id: 's3' },
      code: 'invalid_field',
      field: 'clientMsgId',
      id: 's3',
    },
    {
      name: 'text is a number',
      value: { ...send, id: 's4', clientMsgId: 'b-4', text: 5 },
      code: 'invalid_field',
      field: 'text',
      id: 's4',
    },
    {
      name: 'text empty',
      value: { ...send, id: 's5', clientMsgId: 'b-5', text: '' },
      code: 'invalid_field',
      field: 'text',
      id: 's5',
    },
    {
      name: 'text too long',
      value: { ...send, id: 's6', clientMsgId: 'b-6', text: 'x'.repeat(Limits.maxTextLength + 1) },
      code: 'invalid_field',
      field: 'text',
      id: 's6',
    },
    {
      name: 'text is an array',
      value: { ...send, id: 's7', clientMsgId: 'b-7', text: ['hi'] },
      code: 'invalid_field',
      field: 'text',
      id: 's7',
    },
    {
      name: 'text null',
      value: { ...send, id: 's8', clientMsgId: 'b-8', text: null },
      code: 'invalid_field',
      field: 'text',
      id: 's8',
    },
    {
      name: 'conversationId with a space',
      value: { ...send, id: 's9', clientMsgId: 'b-9', conversationId: 'c x' },
      code: 'invalid_field',
      field: 'conversationId',
      id: 's9',
    },
    {
      name: 'conversationId with a slash',
      value: { ...send, id: 's10', clientMsgId: 'b-10', conversationId: '../workspace/default' },
      code: 'invalid_field',
      field: 'conversationId',
      id: 's10',
    },
    {
      name: 'conversationId too long',
      value: { ...send, id: 's11', clientMsgId: 'b-11', conversationId: 'c'.repeat(65) },
      code: 'invalid_field',
      field: 'conversationId',
      id: 's11',
    },
    {
      name: 'conversationId a number',
      value: { ...send, id: 's12', clientMsgId: 'b-12', conversationId: 42 },
      code: 'invalid_field',
      field: 'conversationId',
      id: 's12',
    },
    {
      name: 'clientMsgId empty',
      value: { ...send, id: 's13', clientMsgId: '' },
      code: 'invalid_field',
      field: 'clientMsgId',
      id: 's13',
    },
    {
      name: 'resume without lastSeq',
      value: { ...resume, id: 'r1' },
      code: 'invalid_field',
      field: 'lastSeq',
      id: 'r1',
    },
    {
      name: 'lastSeq a string',
      value: { ...resume, id: 'r2', lastSeq: '0' },
      code: 'invalid_field',
      field: 'lastSeq',
      id: 'r2',
    },
    {
      name: 'lastSeq negative',
      value: { ...resume, id: 'r3', lastSeq: -1 },
      code: 'invalid_field',
      field: 'lastSeq',
      id: 'r3',
    },
    {
      name: 'lastSeq fractional',
      value: { ...resume, id: 'r4', lastSeq: 0.5 },
      code: 'invalid_field',
      field: 'lastSeq',
      id: 'r4',
    },
    {
      name: 'lastSeq 2^53',
      value: { ...resume, id: 'r5', lastSeq: 2 ** 53 },
      code: 'invalid_field',
      field: 'lastSeq',
      id: 'r5',
    },
    {
      name: 'lastSeq 1e308',
      value: { ...resume, id: 'r6', lastSeq: 1e308 },
      code: 'invalid_field',
      field: 'lastSeq',
      id: 'r6',
    },
    {
      name: 'resume without conversationId',
      value: { type: 'resume', id: 'r7', lastSeq: 0 },
      code: 'invalid_field',
      field: 'conversationId',
      id: 'r7',
    },
  ];
}

/** Conversation events as a client sees them after resume from 0 (OPS-2), in seq order. */
async function history(
  s: TestServer,
  visitorId: string,
  conversationId: string,
): Promise<{ lastSeq: unknown; events: unknown[] }> {
  const c = await s.visitor();
  try {
    await c.ok({ type: 'hello', visitorId });
    const r = await c.ok({ type: 'resume', conversationId, lastSeq: 0 });
    const events = c
      .conversationEvents(conversationId)
      .map((e) => ({ type: e.type, seq: e.seq, text: e.text, clientMsgId: e.clientMsgId, from: e.from }));
    return { lastSeq: r.lastSeq, events };
  } finally {
    await c.close();
  }
}

/** What the store holds: open conversations, visitor records and each conversation's last seq. */
function storeState(s: TestServer, conversations: readonly string[]) {
  const store = s.server.store;
  return {
    open: [...store.records(Keys.allOpen)].map((r) => String(r.key[1])).sort(),
    visitors: [...store.records(Keys.allVisitors)].map((r) => String(r.key[1])).sort(),
    lastSeqs: conversations.map((c) => store.lastSeq(conversationStream(c))),
  };
}

function rawConnect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number } | { ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (req, res) => {
      // With this listener ws leaves the HTTP socket open; uWS would hold it for its 10 s idle timeout.
      req.destroy();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.once('error', reject);
  });
}

// ---- tests -----------------------------------------------------------------

t.test(
  'OPS-5 OPS-2: bad input on both endpoints, JSON and msgpack, gets exact error codes with the id echoed, and changes nothing',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });

    // Baseline, from valid commands only: visitor 1 with conversation 1 (pre-sales), visitor 2 with
    // conversation 2 (after-sales). Nobody is online, so both wait in their queues.
    const first = { department: 'pre-sales', text: 'first', clientMsgId: 'v1-m1' };
    const {
      v: v1,
      visitorId: visitor1,
      conversationId: conv1,
    } = await openConversation(s, first, undefined, {
      binary: true,
    });
    await v1.waitFor((e) => e.type === 'queued' && e.conversationId === conv1);
    t.equal((await v1.ok({ type: 'send', conversationId: conv1, clientMsgId: 'v1-m2', text: 'second' })).seq, 4);
    const other = { department: 'after-sales', text: 'other', clientMsgId: 'v2-m1' };
    const { v: v2, visitorId: visitor2, conversationId: conv2 } = await openConversation(s, other);
    await v2.waitFor((e) => e.type === 'queued' && e.conversationId === conv2);

    const conversations = [conv1, conv2];
    const storeBefore = storeState(s, conversations);
    t.same(storeBefore.open, [...conversations].sort(), 'baseline: two open conversations');
    const before1 = await history(s, visitor1, conv1);
    const before2 = await history(s, visitor2, conv2);
    t.same(
      before1.events.map((e) => (e as { type: string }).type),
      ['created', 'message', 'queued', 'message'],
    );

    // Visitor connections said hello as visitor 1; one per frame kind.
    const visitorConns = new Map<boolean, TestClient>();
    for (const { binary } of kinds) {
      const c = await s.visitor({ binary });
      t.equal((await c.ok({ type: 'hello', visitorId: visitor1 })).conversationId, conv1);
      visitorConns.set(binary, c);
    }
    // Staff connections signed in as alice by token at upgrade; alice stays offline and serves nothing.
    const staffConns = new Map<boolean, TestClient>();
    for (const { binary } of kinds) staffConns.set(binary, await s.staff('alice', { binary }));

    for (const { binary, label } of kinds) {
      await t.test(
        `OPS-5 /v1/visitor, ${label}: malformed, non-object, unknown type, bad and extra fields`,
        async (t) => {
          const n = await runCases(t, visitorConns.get(binary)!, binary, genericCases({ own: conv1 }));
          t.ok(n > 60, `${n} cases ran`);
        },
      );
      await t.test(
        `OPS-5 /v1/staff, ${label}: malformed, non-object, unknown type, bad and extra fields`,
        async (t) => {
          const n = await runCases(t, staffConns.get(binary)!, binary, genericCases({ own: conv1 }));
          t.ok(n > 60, `${n} cases ran`);
        },
      );

      await t.test(
        `OPS-5 /v1/visitor, ${label}: staff commands, commands before hello, unknown and foreign ids`,
        async (t) => {
          const c = visitorConns.get(binary)!;
          await runCases(t, c, binary, [
            {
              name: 'staff command signin',
              value: { type: 'signin', id: 'x1', token: 'abc' },
              code: 'unknown_type',
              field: 'type',
              id: 'x1',
            },
            {
              name: 'staff command status',
              value: { type: 'status', id: 'x2', status: 'online' },
              code: 'unknown_type',
              field: 'type',
              id: 'x2',
            },
            {
              name: 'staff command resolve',
              value: { type: 'resolve', id: 'x3', conversationId: conv1 },
              code: 'unknown_type',
              field: 'type',
              id: 'x3',
            },
            {
              name: 'hello with a bad visitorId',
              value: { type: 'hello', id: 'h1', visitorId: 'a b' },
              code: 'invalid_field',
              field: 'visitorId',
              id: 'h1',
            },
            {
              name: 'hello with a visitorId of 65 chars',
              value: { type: 'hello', id: 'h2', visitorId: 'v'.repeat(65) },
              code: 'invalid_field',
              field: 'visitorId',
              id: 'h2',
            },
            {
              name: 'hello as another visitor on a bound connection',
              value: { type: 'hello', id: 'h3', visitorId: visitor2 },
              code: 'conflict',
              field: 'visitorId',
              id: 'h3',
            },
            {
              name: 'start with a numeric department',
              value: { type: 'start', id: 'st1', department: 7 },
              code: 'invalid_field',
              field: 'department',
              id: 'st1',
            },
            {
              name: 'start with an empty text',
              value: { type: 'start', id: 'st2', text: '' },
              code: 'invalid_field',
              field: 'text',
              id: 'st2',
            },
            {
              name: 'send to a conversation that does not exist',
              value: { type: 'send', id: 'u1', conversationId: 'c-does-not-exist', clientMsgId: 'u-1', text: 'hi' },
              code: 'not_found',
              field: 'conversationId',
              id: 'u1',
            },
            {
              name: 'resume a conversation that does not exist',
              value: { type: 'resume', id: 'u2', conversationId: 'c-does-not-exist', lastSeq: 0 },
              code: 'not_found',
              field: 'conversationId',
              id: 'u2',
            },
            {
              name: "send to another visitor's conversation",
              value: { type: 'send', id: 'u3', conversationId: conv2, clientMsgId: 'u-3', text: 'hijack' },
              code: 'not_found',
              field: 'conversationId',
              id: 'u3',
            },
            {
              name: "resume another visitor's conversation",
              value: { type: 'resume', id: 'u4', conversationId: conv2, lastSeq: 0 },
              code: 'not_found',
              field: 'conversationId',
              id: 'u4',
            },
          ]);

          // A fresh connection that has not said hello may ping, and nothing else.
          const fresh = await s.visitor({ binary });
          t.same(await fresh.ok({ type: 'ping' }), {}, 'ping before hello is acked');
          await runCases(t, fresh, binary, [
            {
              name: 'start before hello',
              value: { type: 'start', id: 'b1', department: 'pre-sales', text: 'x', clientMsgId: 'b-1' },
              code: 'unauthorized',
              id: 'b1',
            },
            {
              name: 'send before hello',
              value: { type: 'send', id: 'b2', conversationId: conv1, clientMsgId: 'b-2', text: 'x' },
              code: 'unauthorized',
              id: 'b2',
            },
            {
              name: 'resume before hello',
              value: { type: 'resume', id: 'b3', conversationId: conv1, lastSeq: 0 },
              code: 'unauthorized',
              id: 'b3',
            },
          ]);
          // A new visitor (no open conversation) asking for a department that does not exist.
          await fresh.ok({ type: 'hello' });
          await runCases(t, fresh, binary, [
            {
              name: 'start in an unknown department',
              value: { type: 'start', id: 'd1', department: 'no-such-dept', text: 'x', clientMsgId: 'd-1' },
              code: 'not_found',
              field: 'department',
              id: 'd1',
            },
          ]);
          await fresh.close();
        },
      );

      await t.test(
        `OPS-5 /v1/staff, ${label}: unauthorized before sign-in, bad credentials, foreign and unknown ids`,
        async (t) => {
          const anon = await anonymousStaff(s, binary);
          t.same(await anon.ok({ type: 'ping' }), {}, 'ping before sign-in is acked');
          const alice = s.cred('alice');
          await runCases(t, anon, binary, [
            {
              name: 'visitor command hello',
              value: { type: 'hello', id: 'y1' },
              code: 'unknown_type',
              field: 'type',
              id: 'y1',
            },
            {
              name: 'visitor command start',
              value: { type: 'start', id: 'y2' },
              code: 'unknown_type',
              field: 'type',
              id: 'y2',
            },
            {
              name: 'status before sign-in',
              value: { type: 'status', id: 'n1', status: 'online' },
              code: 'unauthorized',
              id: 'n1',
            },
            {
              name: 'send before sign-in',
              value: { type: 'send', id: 'n2', conversationId: conv1, clientMsgId: 'n-2', text: 'x' },
              code: 'unauthorized',
              id: 'n2',
            },
            {
              name: 'resume before sign-in',
              value: { type: 'resume', id: 'n3', conversationId: conv1, lastSeq: 0 },
              code: 'unauthorized',
              id: 'n3',
            },
            {
              name: 'resolve before sign-in',
              value: { type: 'resolve', id: 'n4', conversationId: conv1 },
              code: 'unauthorized',
              id: 'n4',
            },
            {
              name: 'wrong password',
              value: { type: 'signin', id: 'p1', email: alice.email, password: `${alice.password}x` },
              code: 'unauthorized',
              id: 'p1',
            },
            {
              name: 'unknown email',
              value: { type: 'signin', id: 'p2', email: 'nobody@demo.switchboard.local', password: alice.password },
              code: 'unauthorized',
              id: 'p2',
            },
            {
              name: 'bad token',
              value: { type: 'signin', id: 'p3', token: 'not-a-token' },
              code: 'unauthorized',
              id: 'p3',
            },
            {
              name: 'signin without password',
              value: { type: 'signin', id: 'p4', email: alice.email },
              code: 'invalid_field',
              field: 'password',
              id: 'p4',
            },
            {
              name: 'signin with neither token nor email',
              value: { type: 'signin', id: 'p5' },
              code: 'invalid_field',
              field: 'token',
              id: 'p5',
            },
            {
              name: 'signin with a numeric token',
              value: { type: 'signin', id: 'p6', token: 5 },
              code: 'invalid_field',
              field: 'token',
              id: 'p6',
            },
            {
              name: 'signin with token and password both',
              value: { type: 'signin', id: 'p7', token: alice.token, email: alice.email, password: alice.password },
              code: 'invalid_field',
              field: 'token',
              id: 'p7',
            },
            {
              name: 'signin with an extra field',
              value: { type: 'signin', id: 'p8', token: alice.token, extra: 1 },
              code: 'invalid_field',
              field: 'extra',
              id: 'p8',
            },
            {
              name: 'still unauthorized after failed sign-ins',
              value: { type: 'status', id: 'n5', status: 'online' },
              code: 'unauthorized',
              id: 'n5',
            },
          ]);
          await anon.close();

          const c = staffConns.get(binary)!;
          await runCases(t, c, binary, [
            {
              name: 'second sign-in',
              value: { type: 'signin', id: 'a1', token: alice.token },
              code: 'conflict',
              id: 'a1',
            },
            {
              name: 'unknown status',
              value: { type: 'status', id: 'a2', status: 'sleepy' },
              code: 'invalid_field',
              field: 'status',
              id: 'a2',
            },
            {
              name: 'send to a conversation alice does not serve',
              value: { type: 'send', id: 'a3', conversationId: conv1, clientMsgId: 'a-3', text: 'x' },
              code: 'not_found',
              field: 'conversationId',
              id: 'a3',
            },
            {
              name: 'resume a conversation alice does not serve',
              value: { type: 'resume', id: 'a4', conversationId: conv1, lastSeq: 0 },
              code: 'not_found',
              field: 'conversationId',
              id: 'a4',
            },
            {
              name: 'resolve a conversation alice does not serve',
              value: { type: 'resolve', id: 'a5', conversationId: conv2 },
              code: 'not_found',
              field: 'conversationId',
              id: 'a5',
            },
            {
              name: 'resolve an unknown conversation',
              value: { type: 'resolve', id: 'a6', conversationId: 'c-nope' },
              code: 'not_found',
              field: 'conversationId',
              id: 'a6',
            },
            {
              name: 'send to an unknown conversation',
              value: { type: 'send', id: 'a7', conversationId: 'c-nope', clientMsgId: 'a-7', text: 'x' },
              code: 'not_found',
              field: 'conversationId',
              id: 'a7',
            },
            {
              name: 'resolve with a numeric summary',
              value: { type: 'resolve', id: 'a8', conversationId: conv1, summary: 5 },
              code: 'invalid_field',
              field: 'summary',
              id: 'a8',
            },
          ]);
        },
      );
    }

    await t.test('OPS-5: a bad token at upgrade gets HTTP 401, by query and by Authorization header', async (t) => {
      t.same(await rawConnect(`${s.staffUrl}?token=not-a-token`), { status: 401 });
      t.same(await rawConnect(s.staffUrl, { authorization: 'Bearer not-a-token' }), { status: 401 });
    });

    await t.test(
      'OPS-5 OPS-2: nothing changed — store, resume from 0, and the same connections still work',
      async (t) => {
        t.notOk(Object.hasOwn(Object.prototype, 'polluted'), 'Object.prototype not polluted');
        t.same(storeState(s, conversations), storeBefore, 'no conversation, visitor record or event was added');
        t.same(
          await history(s, visitor1, conv1),
          before1,
          'conversation 1 replays exactly the events of the valid commands',
        );
        t.same(
          await history(s, visitor2, conv2),
          before2,
          'conversation 2 replays exactly the events of the valid commands',
        );

        // Valid commands on the very connections that received the bad input.
        const vb = visitorConns.get(true)!;
        const vj = visitorConns.get(false)!;
        // Other connections of the same visitor follow the conversation once they have resumed it.
        await vj.ok({ type: 'resume', conversationId: conv1, lastSeq: before1.lastSeq as number });
        await vb.ok({ type: 'resume', conversationId: conv1, lastSeq: before1.lastSeq as number });
        const sent = await vb.ok({ type: 'send', conversationId: conv1, clientMsgId: 'after-1', text: 'still here' });
        t.equal(
          sent.seq,
          (before1.lastSeq as number) + 1,
          'next seq follows the last valid event: nothing was stored in between',
        );
        t.equal(
          (await vj.waitFor((e) => e.type === 'message' && e.clientMsgId === 'after-1')).text,
          'still here',
          'the JSON connection hears it',
        );
        const ack = await vj.command({ type: 'ping' });
        if (!ackFrame.Check(ack)) t.fail(`not an ack: ${JSON.stringify(ack)}`);

        const aliceBin = staffConns.get(true)!;
        t.same(
          await aliceBin.ok({ type: 'status', status: 'online' }),
          { status: 'online', active: 0, max: 5, conversations: [] },
          'alice had no conversation and comes online',
        );
        const assigned = await aliceBin.waitFor((e) => e.type === 'assigned' && e.conversationId === conv1);
        t.equal(assigned.seq, (sent.seq as number) + 1);
        const reply = await staffConns
          .get(false)!
          .ok({ type: 'send', conversationId: conv1, clientMsgId: 'alice-1', text: 'hello from alice' });
        t.equal((await vb.waitFor((e) => e.type === 'message' && e.seq === reply.seq)).text, 'hello from alice');
      },
    );
  },
);

/** A staff connection without a token at upgrade: not signed in. */
function anonymousStaff(s: TestServer, binary: boolean): Promise<TestClient> {
  return TestClient.connect(s.staffUrl, { binary });
}

t.test(
  'OPS-5: oversized frames close the connection with 1006 (uWS drops it); a frame of exactly 64 KiB is answered; the server stays up',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    for (const endpoint of ['visitor', 'staff'] as const) {
      for (const { binary, label } of kinds) {
        await t.test(`/v1/${endpoint}, ${label}`, async (t) => {
          const bystander = endpoint === 'visitor' ? await s.visitor({ binary }) : await s.staff('bob', { binary });
          const c = endpoint === 'visitor' ? await s.visitor({ binary }) : await anonymousStaff(s, binary);

          // Exactly at the limit: decoded and answered (a readable frame with an extra field).
          const base = encode({ type: 'ping', id: 'big', pad: '' }, binary);
          // msgpack: the pad's 1-byte fixstr header becomes a 3-byte str16 header once it is long.
          const pad = Limits.maxFrameBytes - Buffer.byteLength(base) - (binary ? 2 : 0);
          const atLimit = encode({ type: 'ping', id: 'big', pad: 'x'.repeat(pad) }, binary);
          t.equal(Buffer.byteLength(atLimit), Limits.maxFrameBytes, 'frame is exactly maxFrameBytes');
          const got = await answer(c, atLimit, binary);
          t.same({ code: got.code, field: got.field, id: got.id }, { code: 'invalid_field', field: 'pad', id: 'big' });

          // One byte over: the connection is closed, no error frame.
          const over = encode({ type: 'ping', id: 'big', pad: 'x'.repeat(pad + 1) }, binary);
          t.equal(Buffer.byteLength(over), Limits.maxFrameBytes + 1);
          const before = c.events.length;
          c.sendBytes(over, binary);
          t.equal(await c.waitForClose(), UWS_FORCE_CLOSE, 'closed with 1006');
          t.equal(c.events.length, before, 'no frame answered the oversized one');

          // Far over (1 MiB): same.
          const c2 = endpoint === 'visitor' ? await s.visitor({ binary }) : await anonymousStaff(s, binary);
          c2.sendBytes(binary ? Buffer.alloc(1 << 20, 0x61) : 'x'.repeat(1 << 20), binary);
          t.equal(await c2.waitForClose(), UWS_FORCE_CLOSE, '1 MiB frame: closed with 1006');

          t.same(await bystander.ok({ type: 'ping' }), {}, 'another connection is unaffected');
          await bystander.close();
        });
      }
    }
    const v = await s.visitor({ binary: true });
    t.match((await v.ok({ type: 'hello' })).visitorId, /^v-/, 'a fresh connection works');
  },
);

t.test(
  'OPS-5: invalid UTF-8 in a text frame closes the connection with 1006 (uWS validates text frames before the gateway sees them)',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const invalid = [
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      Buffer.from('{"type":"ping","id":"\xc0\xaf"}', 'latin1'),
      Buffer.from([0xed, 0xa0, 0x80]),
    ];
    for (const endpoint of ['visitor', 'staff'] as const) {
      for (const bytes of invalid) {
        const c = endpoint === 'visitor' ? await s.visitor() : await s.staff('alice');
        c.sendBytes(bytes, false);
        t.equal(await c.waitForClose(), UWS_FORCE_CLOSE, `/v1/${endpoint}: ${bytes.toString('hex')} as text → 1006`);
        t.same(c.errorsWithoutId, [], 'no frame was answered');
      }
    }
    // The same bytes in a binary frame are just bad msgpack and get an error frame.
    const b = await s.visitor({ binary: true });
    const got = await answer(b, invalid[2]!, true);
    t.equal(got.code, 'bad_frame');
    t.match((await b.ok({ type: 'hello' })).visitorId, /^v-/, 'the server still serves');
  },
);

t.test(
  'OPS-5: racing hellos or sign-ins on one connection — exactly one succeeds, the others get conflict; the connection keeps one principal',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    for (const { binary, label } of kinds) {
      // Sent in one burst, so every command is in flight before the first is answered.
      const otherVisitor = ((await (await s.visitor()).ok({ type: 'hello' })) as { visitorId: string }).visitorId;
      const v = await s.visitor({ binary });
      const hellos = await Promise.all([
        v.command({ type: 'hello' }),
        v.command({ type: 'hello' }),
        v.command({ type: 'hello', visitorId: otherVisitor }),
      ]);
      t.same(
        hellos.map((f) => (f.type === 'ack' ? 'ack' : f.code)),
        ['ack', 'conflict', 'conflict'],
        `${label}: one hello acked`,
      );
      const visitorId = (hellos[0]!.result as { visitorId: string }).visitorId;
      t.same(await v.ok({ type: 'hello' }), { visitorId }, `${label}: the connection is still the first visitor`);

      const staff = await anonymousStaff(s, binary);
      const signins = await Promise.all([
        staff.command({ type: 'signin', token: s.cred('alice').token }),
        staff.command({ type: 'signin', token: s.cred('bob').token }),
        staff.command({ type: 'signin', token: s.cred('alice').token }),
      ]);
      t.same(
        signins.map((f) => (f.type === 'ack' ? 'ack' : f.code)),
        ['ack', 'conflict', 'conflict'],
        `${label}: one sign-in acked`,
      );
      t.equal((signins[0]!.result as { id: string }).id, 'alice');
      t.equal(
        (await staff.command({ type: 'signin', token: s.cred('bob').token })).code,
        'conflict',
        `${label}: still signed in as alice`,
      );
      await staff.close();
      await v.close();
    }
  },
);
