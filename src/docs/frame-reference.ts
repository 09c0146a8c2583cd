/**
 * Generates the frame reference of docs/protocol.md from the TypeBox
 * schemas of protocol/: every frame with its direction, description and
 * fields (type, required or optional, description), between the marker
 * comments `<!-- frames:begin -->` and `<!-- frames:end -->`. The
 * walkthroughs around it stay hand-written. `npm run docs` rewrites the
 * file; test/protocol-docs.test.ts fails when the committed file differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { ServerFrames, StaffCommands, VisitorCommands } from '../../protocol/frames.js';
import { CloseCodes } from '../../protocol/close-codes.js';

export const BEGIN = '<!-- frames:begin -->';
export const END = '<!-- frames:end -->';

/** The JSON Schema keywords the frames use. */
interface Schema {
  type?: string;
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  patternProperties?: Record<string, Schema>;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function range(lo: number | undefined, hi: number | undefined, unit: string): string {
  if (lo === undefined && hi === undefined) return '';
  const max = hi === Number.MAX_SAFE_INTEGER ? undefined : hi;
  if (max === undefined) return lo ? `, ${unit}≥ ${lo}` : '';
  return `, ${unit}${lo ?? 0}–${max}`;
}

/** A schema's type, as one line of the reference. */
export function typeOf(s: Schema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  switch (s.type) {
    case 'string':
      return `string${range(s.minLength, s.maxLength, 'length ')}${s.pattern ? `, matching \`${s.pattern}\`` : ''}`;
    case 'integer':
    case 'number':
      return `${s.type}${range(s.minimum, s.maximum, '')}`;
    case 'array':
      return `array of ${s.items ? typeOf(s.items) : 'any'}${s.maxItems !== undefined ? ` (at most ${s.maxItems})` : ''}`;
    case 'object':
      if (s.patternProperties) {
        const value = Object.values(s.patternProperties)[0];
        return `object of ${value ? typeOf(value) : 'any'}`;
      }
      return 'object';
    case undefined:
      return 'any';
    default:
      return s.type;
  }
}

/** The rows of an object's fields; a nested object's fields follow as `parent.child`. */
function rows(s: Schema, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${name}`;
    const required = (s.required ?? []).includes(name) ? 'required' : 'optional';
    out.push(`| \`${path}\` | ${cell(typeOf(field))} | ${required} | ${cell(field.description ?? '')} |`);
    if (field.type === 'object' && field.properties) out.push(...rows(field, `${path}.`));
    const items = field.items;
    if (field.type === 'array' && items?.type === 'object' && items.properties) out.push(...rows(items, `${path}[].`));
    for (const variant of field.anyOf ?? [])
      if (variant.type === 'object' && variant.properties) out.push(...rows(variant, `${path}.`));
  }
  return out;
}

function table(s: Schema): string[] {
  return ['| field | type | required | description |', '| --- | --- | --- | --- |', ...rows(s)];
}

function frame(type: string, direction: string, schema: TSchema): string[] {
  const s = schema as Schema;
  const out = [`#### \`${type}\` · ${direction}`, ''];
  if (s.description) out.push(s.description, '');
  if (s.anyOf) {
    for (const [i, variant] of s.anyOf.entries()) out.push(`Form ${i + 1}:`, '', ...table(variant), '');
  } else out.push(...table(s), '');
  return out;
}

/** The generated reference: every frame of both endpoints, then the close codes. */
export function frameReference(): string {
  const out: string[] = [
    '<!-- Generated from protocol/ by `npm run docs`: edit the schemas, not this part. -->',
    '',
    '### Client frames',
    '',
  ];
  const visitor = new Set(Object.keys(VisitorCommands));
  const staff = new Set(Object.keys(StaffCommands));
  const clientFrames: Record<string, TSchema> = { ...VisitorCommands, ...StaffCommands };
  for (const type of Object.keys(clientFrames).sort()) {
    const to =
      visitor.has(type) && staff.has(type)
        ? 'visitor and staff → server'
        : visitor.has(type)
          ? 'visitor → server'
          : 'staff → server';
    out.push(...frame(type, to, clientFrames[type]!));
  }
  out.push('### Server frames', '');
  for (const type of Object.keys(ServerFrames).sort())
    out.push(...frame(type, 'server → client', ServerFrames[type as keyof typeof ServerFrames]));
  out.push('### Close codes', '', '| code | reason sent | meaning |', '| --- | --- | --- |');
  for (const c of Object.values(CloseCodes).sort((a, b) => a.code - b.code)) {
    out.push(`| ${c.code} | ${c.reason ? `\`${c.reason}\`` : '(none)'} | ${cell(c.about)} |`);
  }
  return `${out.join('\n')}\n`;
}

/** The document with its marked part replaced by the reference. Throws when the markers are missing. */
export function withReference(doc: string, reference = frameReference()): string {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`docs/protocol.md needs the markers ${BEGIN} and ${END}`);
  return `${doc.slice(0, begin + BEGIN.length)}\n${reference}${doc.slice(end)}`;
}

export const PROTOCOL_DOC = fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url));

// `node dist/src/docs/frame-reference.js` (npm run docs) rewrites docs/protocol.md.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(PROTOCOL_DOC, 'utf8');
  const next = withReference(doc);
  if (next !== doc) writeFileSync(PROTOCOL_DOC, next);
  process.stdout.write(
    next !== doc ? `${PROTOCOL_DOC}: frame reference written\n` : `${PROTOCOL_DOC}: frame reference current\n`,
  );
}
