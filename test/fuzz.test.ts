/**
 * OPS-5 fuzz: thousands of random and mutated frames over several real
 * WebSocket connections on both endpoints (loopback only, bounded, a few
 * seconds). Every frame must be answered by exactly one ack or error with a
 * known code; afterwards the server must still serve, and the store must hold
 * only what acknowledged commands produced.
 *
 * Seeded: the seed is printed; rerun a failure with FUZZ_SEED=<seed>.
 * FUZZ_FRAMES sets the number of frames (default 4000).
 */
import t from 'tap';
import WebSocket from 'ws';
import { randomInt } from 'node:crypto';
import { get } from 'node:http';
import { Packr } from 'msgpackr';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import type { TestClient, Frame } from './support/client.js';
import { AckFrame, ErrorFrame, ServerFrames } from '../protocol/frames.js';
import { ErrorCodes, type ErrorCode } from '../protocol/errors.js';
import { Limits } from '../protocol/limits.js';
import { Keys } from '../actors/keyspace.js';
import { conversationStream } from '../actors/conversation/records.js';

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 4000);
/** Frames each connection sends before all connections wait for their answers. */
const BATCH = 25;

const packr = new Packr({ useRecords: false, mapsAsObjects: true });
/** Configured like the server's codec: re-encoding a server frame must give back the same bytes. */
const serverPackr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, int64AsType: 'number' });
const ackCheck = TypeCompiler.Compile(AckFrame);
const errorCheck = TypeCompiler.Compile(ErrorFrame);
const eventChecks = new Map(Object.entries(ServerFrames).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]));

/**
 * Codes bad input may legitimately get. The others mean the server, not the client, is in trouble.
 * `rate_limited`: fuzzed sign-ins with wrong passwords reach the sign-in limit (ROLE-4).
 */
const CLIENT_CODES: readonly ErrorCode[] = [
  'bad_frame',
  'unknown_type',
  'invalid_field',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'limit_exceeded',
  'rate_limited',
];

// ---- seeded PRNG -------------------------------------------------------------

/** mulberry32: small, fast, good enough to drive a fuzzer, and reproducible from one 32-bit seed. */
class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  float(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let x = this.a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  /** A length, mostly small, sometimes large. */
  length(max: number): number {
    return this.chance(0.8) ? this.int(32) : this.int(max);
  }
}

// ---- frame generators ----------------------------------------------------------

type Endpoint = 'visitor' | 'staff';
type Obj = Record<string, unknown>;

interface Pools {
  conversations: readonly string[];
  visitors: readonly string[];
  aliceToken: string;
  aliceEmail: string;
}

const TYPES = [
  'hello',
  'start',
  'send',
  'resume',
  'ping',
  'signin',
  'status',
  'resolve',
  'ack',
  'error',
  'message',
  'created',
];
const KEYS = [
  'type',
  'id',
  'visitorId',
  'conversationId',
  'clientMsgId',
  'text',
  'lastSeq',
  'department',
  'token',
  'email',
  'password',
  'status',
  'summary',
];
const POLLUTING_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  '',
];
const ALPHABET = [
  'a',
  'Z',
  '0',
  ' ',
  '-',
  '.',
  ':',
  '_',
  '/',
  '\\',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '\n',
  '\u0000',
  'é',
  '退',
  '款',
  '💥',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udc00',
];

function text(r: Rng): string {
  if (r.chance(0.02)) return 'x'.repeat(r.pick([Limits.maxTextLength, Limits.maxTextLength + 1]));
  let s = '';
  const n = 1 + r.int(40);
  for (let i = 0; i < n; i++) s += r.pick(ALPHABET);
  return s;
}

function conversationId(r: Rng, p: Pools): string {
  return r.chance(0.6)
    ? r.pick(p.conversations)
    : r.pick(['c-does-not-exist', `c-${r.int(1e9)}`, 'workspace', '..', 'conv:x', 'x'.repeat(64)]);
}

/** A well-formed command (valid, or valid in shape with possibly unknown ids). */
function validFrame(r: Rng, ep: Endpoint, p: Pools, id: string | number): Obj {
  const clientMsgId = `f${r.int(40)}`;
  if (ep === 'visitor') {
    switch (r.int(5)) {
      case 0:
        return {
          type: 'hello',
          id,
          ...(r.chance(0.5) ? { visitorId: r.chance(0.5) ? r.pick(p.visitors) : `fz-${r.int(1000)}` } : {}),
        };
      case 1:
        return {
          type: 'start',
          id,
          ...(r.chance(0.7) ? { department: r.pick(['pre-sales', 'after-sales', 'nope']) } : {}),
          ...(r.chance(0.6) ? { text: text(r), clientMsgId } : {}),
        };
      case 2:
        return { type: 'send', id, conversationId: conversationId(r, p), clientMsgId, text: text(r) };
      case 3:
        return {
          type: 'resume',
          id,
          conversationId: conversationId(r, p),
          lastSeq: r.pick([0, 2, 5, 1000, Number.MAX_SAFE_INTEGER]),
        };
      default:
        return { type: 'ping', id };
    }
  }
  switch (r.int(6)) {
    case 0:
      // Password sign-ins cost a scrypt each: keep the known email rare.
      return r.chance(0.5)
        ? { type: 'signin', id, token: r.chance(0.3) ? p.aliceToken : `t${r.int(1e6)}` }
        : {
            type: 'signin',
            id,
            email: r.chance(0.1) ? p.aliceEmail : 'nobody@example.com',
            password: 'wrong-password',
          };
    case 1:
      return { type: 'status', id, status: r.pick(['online', 'busy', 'away', 'offline']) };
    case 2:
      return { type: 'send', id, conversationId: conversationId(r, p), clientMsgId, text: text(r) };
    case 3:
      return { type: 'resume', id, conversationId: conversationId(r, p), lastSeq: r.pick([0, 3, 1000]) };
    case 4:
      return {
        type: 'resolve',
        id,
        conversationId: conversationId(r, p),
        ...(r.chance(0.5) ? { summary: text(r) } : {}),
      };
    default:
      return { type: 'ping', id };
  }
}

/** Nested arrays or objects `depth` deep, built without recursion. */
function nest(depth: number, objects: boolean, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = objects ? { a: v } : [v];
  return v;
}

/** An object with an own, enumerable `__proto__` key (what JSON.parse makes of one). */
function protoObject(value: unknown): Obj {
  const o: Obj = {};
  Object.defineProperty(o, '__proto__', { value, enumerable: true, configurable: true, writable: true });
  return o;
}

function weirdValue(r: Rng, binary: boolean): unknown {
  switch (r.int(14)) {
    case 0:
      return r.pick([
        -1,
        -0,
        0.5,
        1.5,
        2 ** 31,
        2 ** 32,
        2 ** 53,
        2 ** 53 + 2,
        -(2 ** 53),
        2 ** 64,
        1e308,
        -1e308,
        Number.MIN_VALUE,
        Number.MAX_VALUE,
      ]);
    case 1:
      return r.pick([NaN, Infinity, -Infinity]);
    case 2:
      return r.pick([
        '',
        ' ',
        '\u0000',
        '\ud800',
        '\udfff\ud800',
        'x'.repeat(Limits.maxIdLength + 1),
        '💥'.repeat(1 + r.int(5000)),
      ]);
    case 3:
      return r.pick([true, false, null]);
    case 4:
      return r.pick([[], {}, [1, 'a', null], { type: 'ping', id: 1 }]);
    case 5:
      return nest(r.int(2000), r.chance(0.5));
    case 6:
      return protoObject({ polluted: true, type: 'ping' });
    case 7:
      return { constructor: { prototype: { polluted: true } } };
    case 8:
      return binary ? r.bytes(r.length(512)) : text(r);
    case 9:
      return binary ? new Date(r.int(2 ** 31) * 1000) : text(r);
    case 10:
      return binary ? r.pick([2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n]) : String(r.int(1e9));
    case 11:
      return r.int(1e6);
    case 12:
      return `${r.pick(TYPES)}`;
    default:
      return text(r);
  }
}

function weirdKey(r: Rng): string {
  return r.chance(0.5) ? r.pick(POLLUTING_KEYS) : r.chance(0.5) ? r.pick(KEYS) : text(r).slice(0, 10);
}

function setKey(o: Obj, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  else o[key] = value;
}

/** Structural mutations: type confusion, wrong-typed and extra fields, polluting keys, wrapping. */
function mutateObject(r: Rng, frame: Obj, binary: boolean): unknown {
  const o: Obj = { ...frame };
  const rounds = 1 + r.int(3);
  for (let i = 0; i < rounds; i++) {
    const keys = Object.keys(o);
    switch (r.int(8)) {
      case 0:
        if (keys.length) o[r.pick(keys)] = weirdValue(r, binary);
        break;
      case 1:
        setKey(o, weirdKey(r), weirdValue(r, binary));
        break;
      case 2:
        if (keys.length) delete o[r.pick(keys)];
        break;
      case 3:
        o.type = r.chance(0.8) ? r.pick(TYPES) : weirdValue(r, binary);
        break;
      case 4:
        o.id = weirdValue(r, binary);
        break;
      case 5:
        if (keys.length >= 2) {
          const [a, b] = [r.pick(keys), r.pick(keys)];
          [o[a], o[b]] = [o[b], o[a]];
        }
        break;
      case 6:
        return r.chance(0.5) ? [o] : nest(1 + r.int(500), r.chance(0.5), o);
      default:
        o[r.pick(KEYS)] = r.pick(KEYS);
    }
  }
  return o;
}

const MSGPACK_MARKERS = [
  0xc0, 0xc1, 0xc2, 0xc4, 0xc5, 0xc6, 0xc7, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd6, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
  0xde, 0xdf, 0x80, 0x90, 0xa0, 0xff,
];

function mutateBytes(r: Rng, input: Buffer): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + r.int(4);
  for (let i = 0; i < rounds; i++) {
    const at = r.int(b.length + 1);
    switch (r.int(8)) {
      case 0:
        if (b.length) b[at % b.length]! ^= 1 << r.int(8);
        break;
      case 1:
        if (b.length) b[at % b.length] = r.int(256);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), r.bytes(1 + r.int(8)), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + r.int(8))]);
        break;
      case 4:
        b = b.subarray(0, at);
        break;
      case 5:
        b = Buffer.concat([b, b.subarray(at, at + 1 + r.int(32))]);
        break;
      case 6:
        if (b.length) b[at % b.length] = r.pick(MSGPACK_MARKERS);
        break;
      default:
        if (b.length) b.fill(0xff, at % b.length, (at % b.length) + 1 + r.int(4));
    }
  }
  return b;
}

const JSON_CHARS = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '\\',
  ' ',
  '0',
  '9',
  '-',
  'e',
  '.',
  'n',
  't',
  '\u0000',
  '\ud800',
  '💥',
  '\\u',
  '\\ud800',
];

function mutateText(r: Rng, input: string): string {
  let s = input;
  const rounds = 1 + r.int(4);
  for (let i = 0; i < rounds; i++) {
    const at = r.int(s.length + 1);
    switch (r.int(6)) {
      case 0:
        s = s.slice(0, at) + r.pick(JSON_CHARS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(4));
        break;
      case 2:
        s = s.slice(0, at) + r.pick(JSON_CHARS) + s.slice(at + 1);
        break;
      case 3:
        s = s.slice(0, at);
        break;
      case 4:
        s = s + s.slice(at, at + 1 + r.int(32));
        break;
      default:
        s = s.replace(r.pick(['"', ':', ',', '{', '}']), r.pick(JSON_CHARS));
    }
  }
  return s;
}

function randomFrame(r: Rng, binary: boolean): Buffer | string {
  if (binary) {
    const b = r.bytes(r.length(4096));
    // Starting with a map header takes the decoder deeper than noise does.
    if (b.length && r.chance(0.5)) b[0] = 0x80 | r.int(16);
    return b;
  }
  let s = r.chance(0.5) ? '{' : '';
  const n = r.length(2048);
  for (let i = 0; i < n; i++) s += r.chance(0.5) ? r.pick(JSON_CHARS) : String.fromCharCode(r.int(0x3000));
  return s;
}

function deepFrame(r: Rng, binary: boolean): Buffer | string {
  const depth = 1 + r.int(30000);
  if (binary) return Buffer.concat([Buffer.alloc(depth, r.chance(0.5) ? 0x91 : 0x81), Buffer.from([0xc0])]);
  return r.chance(0.5)
    ? '['.repeat(depth) + ']'.repeat(depth)
    : `${'{"a":'.repeat(Math.min(depth, 12000))}1${'}'.repeat(Math.min(depth, 12000))}`;
}

function encode(value: unknown, binary: boolean): Buffer | string {
  return binary ? packr.pack(value) : JSON.stringify(value);
}

/** One fuzz frame, below the frame size limit (oversized frames are bad-input.test's business). */
function fuzzFrame(
  r: Rng,
  ep: Endpoint,
  p: Pools,
  binary: boolean,
  n: number,
): { kind: string; data: Buffer | string } {
  const id = r.chance(0.5) ? n : `q${n}`;
  for (;;) {
    const roll = r.int(100);
    let kind: string;
    let data: Buffer | string;
    try {
      if (roll < 15) {
        kind = 'random';
        data = randomFrame(r, binary);
      } else if (roll < 45) {
        kind = 'mutated bytes';
        const valid = encode(validFrame(r, ep, p, id), binary);
        data = typeof valid === 'string' ? mutateText(r, valid) : mutateBytes(r, valid);
      } else if (roll < 77) {
        kind = 'mutated structure';
        data = encode(mutateObject(r, validFrame(r, ep, p, id), binary), binary);
      } else if (roll < 82) {
        kind = 'deep';
        data = deepFrame(r, binary);
      } else {
        kind = 'well-formed';
        data = encode(validFrame(r, ep, p, id), binary);
      }
    } catch {
      continue; // not encodable (e.g. too deep for the encoder): draw again
    }
    if (Buffer.byteLength(data) <= Limits.maxFrameBytes) return { kind, data };
  }
}

// ---- connections -------------------------------------------------------------

class FuzzConn {
  sent = 0;
  readonly answers: Frame[] = [];
  readonly events: Frame[] = [];
  /** Binary frames from the server that are not strict msgpack with valid UTF-8 strings. */
  readonly illFormed: string[] = [];
  closeCode: number | undefined;
  closeReason = '';
  /** Errors the ws client raised after opening (a server frame it could not parse). */
  readonly clientErrors: string[] = [];
  private waiter: (() => void) | undefined;

  private constructor(
    readonly name: string,
    readonly ep: Endpoint,
    readonly ws: WebSocket,
    readonly binary: boolean,
    readonly rng: Rng,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const f = (isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'))) as Frame;
      // msgpackr decodes invalid UTF-8 leniently (to U+FFFD), so such a string does not survive a round trip.
      if (isBinary && !serverPackr.pack(serverPackr.unpack(data)).equals(data))
        this.illFormed.push(data.toString('hex').slice(0, 120));
      (f.type === 'ack' || f.type === 'error' ? this.answers : this.events).push(f);
      if (this.answers.length >= this.sent) this.wake();
    });
    // ws reports a frame it cannot parse as an error and then closes with 1006: keep the reason.
    ws.on('error', (err: Error) => this.clientErrors.push(err.message));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
      this.wake();
    });
  }

  static open(name: string, ep: Endpoint, url: string, binary: boolean, rng: Rng): Promise<FuzzConn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new FuzzConn(name, ep, ws, binary, rng);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  send(data: Buffer | string): void {
    this.sent++;
    this.ws.send(data, { binary: this.binary });
  }

  /** Resolves once every frame sent has been answered (or the connection closed, or time ran out). */
  settled(timeoutMs: number): Promise<void> {
    if (this.answers.length >= this.sent || this.closeCode !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  close(): Promise<void> {
    if (this.closeCode !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

interface JournalEvent {
  type: string;
  seq: number;
  visitorId?: string;
}

/** Strings that no UTF-8 encoder can represent (unpaired surrogates) anywhere in a frame. */
function illFormedStrings(v: unknown, depth = 0): string[] {
  if (typeof v === 'string') return /\p{Cs}/u.test(v) ? [JSON.stringify(v).slice(0, 60)] : [];
  if (v === null || typeof v !== 'object' || depth > 10) return [];
  return Object.values(v).flatMap((x) => illFormedStrings(x, depth + 1));
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // No keep-alive agent: an idle pooled socket would hold the test process open.
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

function journal(s: TestServer, conversationId: string): JournalEvent[] {
  return [...s.server.store.read<JournalEvent>(conversationStream(conversationId), 1)].map((e) => e.event);
}

// ---- the test ----------------------------------------------------------------

t.test(
  `OPS-5: ${FRAMES} fuzzed frames on both endpoints get one ack or known error each; the server still serves and stores only acknowledged changes`,
  async (t) => {
    t.comment(`fuzz seed ${SEED} (rerun with FUZZ_SEED=${SEED}), ${FRAMES} frames`);
    const started = Date.now();
    const s = await startTestServer(t, { autoMessages: false });
    const protoBefore = Object.getOwnPropertyNames(Object.prototype);

    // Baseline from valid commands: two visitors, each with a waiting conversation.
    const baseline1 = { department: 'pre-sales', text: 'baseline 1', clientMsgId: 'b1' };
    const baseline2 = { department: 'after-sales', text: 'baseline 2', clientMsgId: 'b2' };
    const {
      v: v1,
      visitorId: visitor1,
      conversationId: conv1,
    } = await openConversation(s, baseline1, undefined, {
      binary: true,
    });
    const { v: v2, visitorId: visitor2, conversationId: conv2 } = await openConversation(s, baseline2);
    await v1.waitFor((e) => e.type === 'queued');
    await v2.waitFor((e) => e.type === 'queued');
    await v1.close();
    await v2.close();
    const baseline = new Map([conv1, conv2].map((c) => [c, journal(s, c)]));

    const alice = s.cred('alice');
    const pools: Pools = {
      conversations: [conv1, conv2],
      visitors: [visitor1, visitor2],
      aliceToken: alice.token,
      aliceEmail: alice.email,
    };
    const aliceUrl = `${s.staffUrl}?token=${encodeURIComponent(alice.token)}`;
    const specs: [string, Endpoint, string, boolean][] = [
      ['visitor/msgpack/1', 'visitor', s.visitorUrl, true],
      ['visitor/msgpack/2', 'visitor', s.visitorUrl, true],
      ['visitor/json/1', 'visitor', s.visitorUrl, false],
      ['visitor/json/2', 'visitor', s.visitorUrl, false],
      ['staff/anonymous/msgpack', 'staff', s.staffUrl, true],
      ['staff/anonymous/json', 'staff', s.staffUrl, false],
      ['staff/alice/msgpack', 'staff', aliceUrl, true],
      ['staff/alice/json', 'staff', aliceUrl, false],
    ];
    const conns = await Promise.all(
      specs.map(([name, ep, url, binary], i) => FuzzConn.open(name, ep, url, binary, new Rng(SEED + i))),
    );
    // Two visitor connections act as the baseline visitors, so well-formed sends to their conversations can succeed.
    conns[1]!.send(encode({ type: 'hello', id: 'as-visitor-1', visitorId: visitor1 }, true));
    conns[3]!.send(encode({ type: 'hello', id: 'as-visitor-2', visitorId: visitor2 }, false));
    await Promise.all(conns.map((c) => c.settled(15_000)));

    // ---- fuzz ----
    const kinds = new Map<string, number>();
    const perConn = Math.ceil(FRAMES / conns.length);
    for (let sent = 0; sent < perConn; sent += BATCH) {
      for (const c of conns) {
        for (let i = sent; i < Math.min(sent + BATCH, perConn); i++) {
          const f = fuzzFrame(c.rng, c.ep, pools, c.binary, i);
          kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
          if (c.closeCode === undefined) c.send(f.data);
        }
      }
      await Promise.all(conns.map((c) => c.settled(15_000)));
      if (conns.some((c) => c.closeCode !== undefined || c.answers.length !== c.sent)) break;
    }
    const fuzzMs = Date.now() - started;

    // ---- every frame answered once, with an ack or a known error ----
    const problems: string[] = [];
    const codes = new Map<string, number>();
    let totalSent = 0;
    for (const c of conns) {
      totalSent += c.sent;
      // A 1006 here was seen about once in 30 runs under machine load and not again in 30 runs beside a CPU hog; uWS then held
      // 0 bytes of the 1 MiB backpressure limit for any socket. Should it recur, say what each side saw.
      if (c.closeCode !== undefined) {
        problems.push(
          `${c.name}: closed with ${c.closeCode} "${c.closeReason}" (client errors: ${JSON.stringify(c.clientErrors)}; frames the server dropped over backpressure: ${s.server.connections.dropped})`,
        );
      }
      if (c.answers.length !== c.sent) problems.push(`${c.name}: ${c.sent} frames sent, ${c.answers.length} answered`);
      for (const a of c.answers) {
        if (a.type === 'ack') {
          codes.set('ack', (codes.get('ack') ?? 0) + 1);
          if (!ackCheck.Check(a)) problems.push(`${c.name}: malformed ack ${JSON.stringify(a).slice(0, 200)}`);
          continue;
        }
        const code = String(a.code);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (!errorCheck.Check(a) || !(ErrorCodes as readonly string[]).includes(code))
          problems.push(`${c.name}: malformed error ${JSON.stringify(a).slice(0, 200)}`);
        else if (!CLIENT_CODES.includes(code as ErrorCode))
          problems.push(`${c.name}: server-side error ${JSON.stringify(a).slice(0, 200)}`);
      }
      for (const e of c.events) {
        if (!eventChecks.get(e.type)?.Check(e))
          problems.push(`${c.name}: unexpected server frame ${JSON.stringify(e).slice(0, 200)}`);
      }
      // Stored text must be valid Unicode (JSON parsing keeps unpaired surrogates, so they show here), and
      // msgpack answers valid UTF-8. Answers on JSON connections may echo a client's own escapes back; that is valid JSON.
      for (const e of c.events)
        for (const bad of illFormedStrings(e)) problems.push(`${c.name}: server sent ill-formed text ${bad}`);
      for (const hex of c.illFormed) problems.push(`${c.name}: server frame is not strict msgpack/UTF-8: ${hex}`);
      // One connection, one principal: every hello ack names the same visitor; a staff connection signs in at most once.
      const acks = c.answers.filter((a) => a.type === 'ack').map((a) => (a.result ?? {}) as Obj);
      const visitorIds = new Set(acks.filter((r) => typeof r.visitorId === 'string').map((r) => r.visitorId));
      if (visitorIds.size > 1) problems.push(`${c.name}: hello acked as ${visitorIds.size} different visitors`);
      const signins = acks.filter((r) => typeof r.role === 'string').length;
      if (signins > (c.name.includes('anonymous') ? 1 : 0)) problems.push(`${c.name}: signed in ${signins} times`);
    }
    t.comment(`sent ${totalSent} frames in ${fuzzMs} ms: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    t.comment(
      `answers: ${[...codes]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    t.ok(totalSent >= FRAMES, `${totalSent} frames sent`);
    t.same(problems.slice(0, 20), [], `every frame got exactly one ack or client error (seed ${SEED})`);
    t.notOk(Object.hasOwn(Object.prototype, 'polluted'), 'Object.prototype not polluted');
    t.same(Object.getOwnPropertyNames(Object.prototype), protoBefore, 'Object.prototype unchanged');

    // ---- the store holds only what acknowledged commands produced ----
    const acked = conns.flatMap((c) => c.answers.filter((a) => a.type === 'ack').map((a) => (a.result ?? {}) as Obj));
    const created = new Set(acked.filter((r) => r.created === true).map((r) => String(r.conversationId)));
    const messages = new Set(
      acked.filter((r) => typeof r.messageId === 'string').map((r) => `${String(r.conversationId)}#${String(r.seq)}`),
    );
    const resolved = new Set(
      acked
        .filter((r) => Object.keys(r).sort().join() === 'conversationId,seq')
        .map((r) => `${String(r.conversationId)}#${String(r.seq)}`),
    );
    const resolvedConversations = new Set([...resolved].map((k) => k.split('#')[0]!));
    const expected = new Set([conv1, conv2, ...created]);
    const open = [...s.server.store.records(Keys.allOpen)].map((r) => String(r.key[1]));
    t.same(
      [...new Set([...open, ...resolvedConversations])].sort(),
      [...expected].sort(),
      'conversations = baseline + those whose start was acked with created: true',
    );

    const storedMessages = new Set<string>();
    const unacked: string[] = [];
    const visitorsExpected = new Set([visitor1, visitor2]);
    for (const conv of expected) {
      const events = journal(s, conv);
      const before = baseline.get(conv) ?? [];
      if (before.length) t.same(events.slice(0, before.length), before, `${conv}: baseline events untouched`);
      events.forEach((e, i) => {
        if (e.seq !== i + 1) unacked.push(`${conv}: seq gap at ${i + 1}`);
      });
      for (const e of events.slice(before.length)) {
        const key = `${conv}#${e.seq}`;
        if (e.type === 'message') {
          storedMessages.add(key);
          if (!messages.has(key)) unacked.push(`${key}: message stored without an ack`);
        } else if (e.type === 'resolved') {
          if (!resolved.has(key)) unacked.push(`${key}: resolved without an ack`);
        } else if (e.type === 'created') {
          if (!created.has(conv)) unacked.push(`${key}: created without an ack`);
          if (e.visitorId) visitorsExpected.add(e.visitorId);
        } else if (e.type === 'unassigned') {
          // Routing's answer to a fuzzed staff `status: offline` (ROUTE-14), not a stored client change.
          if ((e as { reason?: string }).reason !== 'agent_offline') unacked.push(`${key}: unexpected unassigned`);
        } else if (e.type === 'reopened') {
          // XFER-7: a customer's acked message to a resolved conversation reopens it; the message follows at once.
          if (!messages.has(`${conv}#${e.seq + 1}`)) unacked.push(`${key}: reopened without an acked message after it`);
        } else if (e.type !== 'queued' && e.type !== 'assigned') {
          unacked.push(`${key}: unexpected ${e.type}`);
        }
      }
    }
    t.same(unacked.slice(0, 20), [], 'every stored change after the baseline was acknowledged');
    t.same(
      [...messages].filter((m) => !storedMessages.has(m)),
      [],
      'every acknowledged message is stored',
    );
    const visitorRecords = [...s.server.store.records(Keys.allVisitors)].map((r) => String(r.key[1]));
    t.same(
      visitorRecords.sort(),
      [...visitorsExpected].sort(),
      'visitor records: baseline visitors + those of created conversations',
    );
    t.comment(
      `fuzz created ${created.size} conversations, stored ${messages.size} messages, resolved ${resolved.size}`,
    );

    // ---- the server still serves: a fresh visitor reaches an agent, both ways ----
    await Promise.all(conns.map((c) => c.close()));
    t.equal(await httpStatus(`http://127.0.0.1:${s.server.port}/healthz`), 200, '/healthz answers 200');
    const agents = new Map<string, TestClient>();
    for (const id of ['bob', 'carol']) {
      const c = await s.staff(id, { binary: id === 'bob' });
      t.equal((await c.ok({ type: 'status', status: 'online' })).status, 'online', `${id} online`);
      agents.set(id, c);
    }
    const v = await s.visitor({ binary: true });
    t.match((await v.ok({ type: 'hello' })).visitorId, /^v-/);
    const start = await v.ok({
      type: 'start',
      department: 'after-sales',
      text: 'after the storm',
      clientMsgId: 'post-1',
    });
    t.equal(start.created, true, 'a new conversation');
    const conv = start.conversationId as string;
    const assigned = await v.waitFor((e) => e.type === 'assigned' && e.conversationId === conv);
    const agentId = (assigned.agent as { id: string }).id;
    const agent = agents.get(agentId);
    if (!agent) throw new Error(`assigned to ${agentId}, not bob or carol`);
    await agent.ok({ type: 'resume', conversationId: conv, lastSeq: 0 });
    t.equal(
      (await agent.waitFor((e) => e.type === 'message' && e.conversationId === conv && e.clientMsgId === 'post-1'))
        .text,
      'after the storm',
      `${agentId} receives the first message`,
    );
    const sent = await v.ok({ type: 'send', conversationId: conv, clientMsgId: 'post-2', text: 'still there?' });
    t.equal(
      (await agent.waitFor((e) => e.type === 'message' && e.seq === sent.seq)).text,
      'still there?',
      `${agentId} receives a live message`,
    );
    const reply = await agent.ok({ type: 'send', conversationId: conv, clientMsgId: 'r1', text: 'yes' });
    t.equal(
      (await v.waitFor((e) => e.type === 'message' && e.seq === reply.seq)).text,
      'yes',
      'the visitor receives the reply',
    );
    t.comment(`total ${Date.now() - started} ms`);
  },
);
