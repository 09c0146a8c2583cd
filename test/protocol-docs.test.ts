/**
 * The frame reference of docs/protocol.md is generated from the schemas of
 * protocol/ (src/docs/frame-reference.ts): the committed file must be what
 * the generator writes, and the reference must name every frame and field.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { BEGIN, END, PROTOCOL_DOC, frameReference, withReference } from '../src/docs/frame-reference.js';
import { ServerFrames, StaffCommands, VisitorCommands } from '../protocol/frames.js';
import { CloseCodes } from '../protocol/close-codes.js';

const doc = readFileSync(PROTOCOL_DOC, 'utf8');

t.test('protocol docs: the committed docs/protocol.md holds the frame reference the schemas generate', async (t) => {
  t.ok(doc.includes(BEGIN) && doc.includes(END), 'the markers are there');
  const current = doc === withReference(doc);
  t.ok(current, 'docs/protocol.md is stale: run `npm run docs`');
});

t.test(
  'protocol docs: the reference names every frame with its direction, every top-level field and every close code',
  async (t) => {
    const ref = frameReference();
    const client: Record<string, object> = { ...VisitorCommands, ...StaffCommands };
    for (const [type, schema] of Object.entries(client)) {
      t.match(ref, new RegExp(`#### \`${type}\` · (visitor and staff|visitor|staff) → server`), `client frame ${type}`);
      const variants = (schema as { anyOf?: object[] }).anyOf ?? [schema];
      for (const v of variants)
        for (const field of Object.keys((v as { properties: object }).properties))
          t.ok(ref.includes(`| \`${field}\` |`), `${type}.${field}`);
    }
    for (const type of Object.keys(ServerFrames))
      t.ok(ref.includes(`#### \`${type}\` · server → client`), `server frame ${type}`);
    for (const c of Object.values(CloseCodes)) t.ok(ref.includes(`| ${c.code} |`), `close code ${c.code}`);
    t.throws(
      () => withReference('no markers'),
      /needs the markers/,
      'a document without markers is refused, not silently left alone',
    );
  },
);
