/**
 * OPS-3 ROLE-3: an admin downloads a backup over the admin API (GET /api/v1/backup): a consistent copy,
 * streamed, that restores into a new data directory with what the store held; others are refused.
 */
import t from 'tap';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from './support/server.js';
import { apiAs } from './support/api.js';
import { restoreStore } from '../src/store/restore.js';

t.test(
  'OPS-3 ROLE-3: an admin downloads a backup that restores with the departments; the download is audited',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const admin = apiAs(s, 'admin');
    t.equal(
      (await admin('post', '/departments', { id: 'billing', name: '账单', defaultMaxConcurrent: 3 })).status,
      201,
    );
    const url = `http://127.0.0.1:${s.server.port}/api/v1/backup`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${s.cred('admin').token}` } });
    t.equal(res.status, 200);
    t.equal(res.headers.get('content-type'), 'application/octet-stream');
    t.match(
      res.headers.get('content-disposition'),
      /^attachment; filename="switchboard-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.mdb"$/,
    );
    t.equal(res.headers.get('cache-control'), 'no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    t.equal(Number(res.headers.get('content-length')), bytes.length, 'a known length');
    t.ok(bytes.length > 4096, `${bytes.length} bytes`);

    const work = mkdtempSync(join(tmpdir(), 'switchboard-download-test-'));
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const file = join(work, 'backup.mdb');
    writeFileSync(file, bytes);
    const restoredDir = join(work, 'restored');
    restoreStore(file, restoredDir);
    const restored = await startTestServer(t, { dataDir: restoredDir, keepData: true, demo: false });
    const ids = [...restored.server.directory.deps.journal.records<{ id: string; name: string }>(['department'])].map(
      (r) => r.value.name,
    );
    t.same(
      ids.sort(),
      ['After-sales', 'Pre-sales', '账单'].sort(),
      'the restored store has the department created before',
    );
    const audit = (await admin('get', '/audit?action=backup.download')).body as {
      entries: { detail: { bytes: number } }[];
    };
    t.equal(audit.entries.length, 1, 'ROLE-5: the download is in the audit log');
    t.equal(
      readdirSync(tmpdir()).filter((f) => f.startsWith('switchboard-download-') && !f.includes('test')).length,
      0,
      'the temporary copy is gone',
    );
  },
);

t.test('OPS-3 ROLE-1 ROLE-2: agents and supervisors may not download a backup', async (t) => {
  const s = await startTestServer(t, { autoMessages: false });
  for (const who of ['alice', 'carol']) {
    const refused = await apiAs(s, who)('get', '/backup');
    t.match(refused, { status: 403, body: { error: { code: 'forbidden', message: /backup\.download/ } } }, who);
  }
  t.match(
    await apiAs(s, 'admin')('get', '/openapi.json'),
    {
      body: {
        paths: {
          '/api/v1/backup': {
            get: {
              'x-permission': 'backup.download',
              responses: { 200: { content: { 'application/octet-stream': {} } } },
            },
          },
        },
      },
    },
    'in the OpenAPI document as a file',
  );
});
