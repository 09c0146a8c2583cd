/**
 * Frame codec: binary frames are msgpack, text frames JSON; the server
 * answers in the kind it was spoken to. Decoding and validation are separate
 * steps so that a frame whose `id` is readable gets an error carrying that id.
 */
import { Packr } from 'msgpackr';
import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError, type ValueErrorIterator } from '@sinclair/typebox/errors';
import { ProtocolError } from './errors.js';
import { Limits } from './limits.js';
import type { CommandId } from './frames.js';

// Plain maps and arrays only: msgpackr's record extension would be unreadable to other clients.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, int64AsType: 'number' });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one frame into a plain value. Throws `bad_frame`. */
export function decodeFrame(data: ArrayBuffer | Uint8Array, binary: boolean): unknown {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let value: unknown;
  try {
    if (binary) {
      // unpackMultiple would accept trailing garbage silently; a frame is exactly one value.
      const values = packr.unpackMultiple(bytes as Buffer) as unknown[];
      if (values.length !== 1) throw new Error('a frame holds exactly one msgpack value');
      value = values[0];
    } else {
      value = JSON.parse(utf8.decode(bytes));
    }
  } catch (err) {
    throw new ProtocolError('bad_frame', `undecodable ${binary ? 'msgpack' : 'JSON'} frame: ${(err as Error).message}`);
  }
  // A plain object only: besides arrays, msgpackr yields class instances for some input (a Buffer for
  // bin, a Date for a timestamp, a C1Type marker for the never-used byte 0xc1), which are not frames.
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    throw new ProtocolError('bad_frame', 'a frame must be an object');
  }
  return value;
}

/** Encodes a server frame in the kind the client spoke. */
export function encodeFrame(frame: object, binary: boolean): Uint8Array | string {
  return binary ? packr.pack(frame) : JSON.stringify(frame);
}

/** The command id of an undecoded-but-parsed frame, if it has a valid one; used to address errors. */
export function readCommandId(value: unknown): CommandId | undefined {
  const id = (value as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0 && id.length <= Limits.maxIdLength) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  return undefined;
}

type Validators<C extends Record<string, TSchema>> = { [K in keyof C]: TypeCheck<C[K]> };

/** Validates parsed frames against the command table of one endpoint. */
export class CommandValidator<C extends Record<string, TSchema>> {
  private readonly checks: Validators<C>;

  constructor(commands: C) {
    const checks: Partial<Validators<C>> = {};
    for (const key of Object.keys(commands) as (keyof C)[]) {
      checks[key] = TypeCompiler.Compile(commands[key] as C[typeof key]);
    }
    this.checks = checks as Validators<C>;
  }

  /** Returns the typed command, or throws `unknown_type` / `invalid_field` naming the first bad field. */
  validate(value: unknown): Static<C[keyof C]> {
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.hasOwn(this.checks, type)) {
      // Cut without splitting a surrogate pair: half of one would be invalid UTF-8 in a msgpack answer.
      const shown = typeof type === 'string' ? type.slice(0, 40).replace(/[\uD800-\uDBFF]$/, '') : '';
      throw new ProtocolError(
        'unknown_type',
        typeof type === 'string' ? `unknown frame type "${shown}"` : 'frame has no string "type"',
        'type',
      );
    }
    return checkValue(this.checks[type as keyof C], value) as Static<C[keyof C]>;
  }
}

/**
 * Checks a parsed value (a frame, an HTTP body or query) against a compiled
 * schema: returns it typed, or throws `invalid_field` naming the first bad
 * field as a dotted path (`widening.overflowTo`, `tags.2`). `prefix` names
 * the part of an HTTP request checked (`query`, `path`) in the field.
 */
export function checkValue<T extends TSchema>(check: TypeCheck<T>, value: unknown, prefix = ''): Static<T> {
  if (check.Check(value)) {
    if (value !== null && typeof value === 'object') rejectLoneSurrogates(value as Record<string, unknown>, prefix);
    return value;
  }
  const first = reportedError(check.Errors(value));
  const path = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : '';
  const field = prefix && path ? `${prefix}.${path}` : prefix || path;
  throw new ProtocolError(
    'invalid_field',
    first ? `${field || 'frame'}: ${first.message}` : 'invalid frame',
    field || undefined,
  );
}

/**
 * The error to report. A frame that is itself a union (signin's token and
 * password forms) fails as one root-level "Expected union value" with no
 * path; the variant with the fewest errors is the form the client meant, so
 * its first error names the field to fix.
 */
function reportedError(errors: ValueErrorIterator): ValueError | undefined {
  const first = errors.First();
  if (!first || first.type !== ValueErrorType.Union) return first;
  let best: ValueError[] | undefined;
  for (const variant of first.errors) {
    const list = [...variant];
    // Inside a frame (an HTTP body's `nullable` object), only a variant that failed deeper down names a better field.
    if (first.path !== '' && !(list[0] && list[0].path.length > first.path.length)) continue;
    if (list.length > 0 && (!best || list.length < best.length)) best = list;
  }
  return best?.[0] ?? first;
}

// With the u flag, \p{Cs} matches only unpaired surrogates: a pair is one code point.
const loneSurrogate = /\p{Cs}/u;

/**
 * JSON escapes can carry lone surrogates ("\ud800") that no UTF-8 encoder can
 * represent: stored in a message or a profile, they would reach msgpack
 * clients as invalid UTF-8 on every read. Checked through nested objects
 * (a login, profile changes) and arrays (tags), keys included, after the
 * schema has bounded their size.
 */
function rejectLoneSurrogates(value: Record<string, unknown> | unknown[], path = ''): void {
  for (const [key, v] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if ((!Array.isArray(value) && loneSurrogate.test(key)) || (typeof v === 'string' && loneSurrogate.test(v))) {
      throw new ProtocolError(
        'invalid_field',
        `${field}: not valid Unicode (unpaired surrogate)`,
        Array.isArray(value) ? path : field,
      );
    }
    if (v !== null && typeof v === 'object') rejectLoneSurrogates(v as Record<string, unknown>, field);
  }
}
