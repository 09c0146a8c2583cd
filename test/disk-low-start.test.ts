/**
 * OPS-5, OPS-1 (issue 13, defect 4): a server whose disk is already below the
 * free-space reserve when it starts (the disk filled, the process was killed,
 * it is started again) must start: it serves every read, refuses every write
 * with storage_failed, and says so in its log and in /readyz's body.
 */
import t from 'tap';
import { Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { startTestServer, tempDataDir } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { httpRequest } from './support/http.js';
import type { Logger } from '../src/logger.js';

const PNG = (): Buffer =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2000)]);

/** A logger whose JSON lines the test reads. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

t.test(
  'OPS-5 OPS-1 OPS-4: started with the disk below the reserve, the server starts, serves reads, refuses writes with storage_failed, and says so in the log and /readyz',
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));

    // Before the disk fills: a conversation with a message and a file.
    const before = await startTestServer({ dataDir, keepData: true, autoMessages: false });
    const { v, visitorId, conversationId } = await openConversation(before, { department: 'pre-sales' });
    await v.ok({ type: 'send', conversationId, clientMsgId: 'm1', text: 'stored before the disk filled' });
    const bytes = PNG();
    const up = await httpRequest(before.server.port, `/v1/files?conversationId=${conversationId}&name=a.png`, {
      method: 'POST',
      headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'image/png' },
      body: bytes,
    });
    t.equal(up.status, 201);
    const fileId = (up.json().file as { id: string }).id;
    await before.stop();

    // Started again with less free space than the reserve (no disk has this much free).
    const { logger, lines } = capturingLogger();
    const s = await startTestServer(t, { dataDir, keepData: true, minFreeBytes: Number.MAX_SAFE_INTEGER, logger });
    const low = lines.find((l) => l.msg?.toString().startsWith('disk almost full'));
    t.ok(low, 'the log says writes are refused for lack of disk space');
    t.equal(low?.level, 50, 'at error level');
    t.equal(low?.minFreeBytes, Number.MAX_SAFE_INTEGER, 'naming the reserve');
    t.type(low?.freeBytes, 'number', 'and the free bytes');
    t.match(
      lines.find((l) => l.msg === 'switchboard listening'),
      { disk: 'below the reserve: writes refused' },
      'the start line says so too',
    );

    const ready = await httpRequest(s.server.port, '/readyz');
    t.equal(ready.status, 200, '/readyz stays 200: reads are served, so the server stays in rotation');
    t.match(
      JSON.parse(ready.body.toString()),
      {
        status: 'degraded',
        writes: 'refused',
        reason: 'disk_low',
        minFreeBytes: Number.MAX_SAFE_INTEGER,
        freeBytes: Number,
      },
      '/readyz body names the low disk',
    );

    // Reads: the conversation's history and the file.
    const reader = await s.visitor();
    await reader.ok({ type: 'hello', visitorId });
    await reader.resumeAll(conversationId, 0);
    t.same(
      reader
        .conversationEvents(conversationId)
        .filter((e) => e.type === 'message')
        .map((e) => e.text),
      ['stored before the disk filled'],
      'the history is served',
    );
    const got = await httpRequest(s.server.port, `/v1/files/${fileId}`, {
      headers: { authorization: `Visitor ${visitorId}` },
    });
    t.equal(got.status, 200, 'the file is served');
    t.ok(got.body.equals(bytes), 'whole');

    // Writes: refused, the server answering all the same.
    t.match(
      await reader.command({ type: 'send', conversationId, clientMsgId: 'm2', text: 'while full' }),
      { type: 'error', code: 'storage_failed' },
      'a message is refused',
    );
    const refused = await httpRequest(s.server.port, `/v1/files?conversationId=${conversationId}&name=b.png`, {
      method: 'POST',
      headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'image/png' },
      body: PNG(),
    });
    t.equal(refused.status, 503, 'an upload is refused');
    t.match(refused.json(), { error: { code: 'storage_failed' } });
    t.same(await reader.ok({ type: 'ping' }), {}, 'and the server keeps answering');

    // Space is back: writes resume and /readyz is ready again.
    s.server.store.minFreeBytes = 0;
    s.server.store.checkSpace();
    t.ok(
      lines.some((l) => l.msg === 'disk space is back: writes resume'),
      'the log says writes resume',
    );
    t.match(JSON.parse((await httpRequest(s.server.port, '/readyz')).body.toString()), { status: 'ready' });
    t.match(
      await reader.command({ type: 'send', conversationId, clientMsgId: 'm2', text: 'after' }),
      { type: 'ack' },
      'a message is stored again',
    );
  },
);
