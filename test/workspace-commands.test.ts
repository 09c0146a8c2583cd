/**
 * CLUSTER-1: `switchboard workspace list|create|export|delete` on a data
 * directory: beside a running server only the reading commands run; a
 * delete refuses a workspace with open conversations or signed-in staff
 * unless forced, and removes that workspace alone; an export holds one
 * workspace and nothing of the others, and `restore` takes it.
 */
import t from 'tap';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Keys } from '../actors/keyspace.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { runRestore } from '../src/backup-commands.js';
import { capture } from './support/captured-output.js';
import { runWorkspace } from '../src/workspace-commands.js';
import { runCli, startServerProcess } from './support/process.js';
import { tempDataDir } from './support/server.js';

async function workspace(...argv: string[]) {
  const io = capture();
  const code = await runWorkspace(argv, {}, io);
  return { code, out: io.lines.join('\n'), err: io.errors.join('\n') };
}

const DAY = 24 * 3600 * 1000;

/** A store with the default workspace and two others, each holding a record, an event and (acme) open work. */
async function threeWorkspaces(dataDir: string): Promise<void> {
  const store = LmdbStore.open(dataDir);
  await store.createWorkspace('acme');
  await store.createWorkspace('globex');
  for (const id of ['default', 'acme', 'globex']) {
    const view = store.workspace(id);
    await view.writeRecords([{ key: Keys.department('support'), value: { id: 'support', name: `${id} support` } }]);
    await view.append('conv:c1', 1, { type: 'created', workspace: id });
  }
  await store.workspace('acme').writeRecords([
    { key: Keys.open('c1'), value: { id: 'c1' } },
    {
      key: Keys.session('s1'),
      value: { id: 's1', staffId: 'ann', refreshExpiresAt: Date.now() + DAY, accessExpiresAt: Date.now() + DAY },
    },
    // An expired session is not a live one.
    { key: Keys.session('s0'), value: { id: 's0', staffId: 'ann', refreshExpiresAt: Date.now() - DAY } },
  ]);
  await store.close();
}

function contents(dataDir: string) {
  const store = LmdbStore.open(dataDir);
  try {
    return {
      workspaces: store.workspaces().map((w) => w.id),
      departments: Object.fromEntries(
        ['default', 'acme', 'globex'].map((id) => [
          id,
          store.workspace(id).getRecord<{ name: string }>(Keys.department('support'))?.name,
        ]),
      ),
      events: Object.fromEntries(
        ['default', 'acme', 'globex'].map((id) => [id, [...store.workspace(id).read('conv:c1', 1)].length]),
      ),
    };
  } finally {
    void store.close();
  }
}

t.test('CLUSTER-1: workspace list shows every workspace with its open conversations and live sessions', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  await threeWorkspaces(dataDir);
  const r = await workspace('list', '--data', dataDir, '--json');
  t.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { id: string; openConversations: number; liveSessions: number }[];
  t.same(
    rows.map(({ id, openConversations, liveSessions }) => ({ id, openConversations, liveSessions })),
    [
      { id: 'default', openConversations: 0, liveSessions: 0 },
      { id: 'acme', openConversations: 1, liveSessions: 1 },
      { id: 'globex', openConversations: 0, liveSessions: 0 },
    ],
    'the default first, then by id; an expired session is not counted',
  );
  const text = await workspace('list', '--data', dataDir);
  t.match(
    text.out,
    /^acme\s+created \d{4}-\d\d-\d\dT.*open conversations 1 {2}live sessions 1$/m,
    'a line a person reads',
  );
});

t.test('CLUSTER-1: workspace create registers a new id once; bad ids and usage are refused with codes', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  await threeWorkspaces(dataDir);
  const made = await workspace('create', 'initech', '--data', dataDir);
  t.equal(made.code, 0, made.err);
  t.match(made.out, /workspace initech created/);
  t.same(contents(dataDir).workspaces, ['default', 'acme', 'globex', 'initech']);

  t.match(await workspace('create', 'initech', '--data', dataDir), { code: 1, err: /^workspace_exists: / });
  t.match(await workspace('create', 'Not_An_Id', '--data', dataDir), { code: 1, err: /^workspace_invalid: .*a-z/ });
  t.match(await workspace('create', 'default', '--data', dataDir), {
    code: 1,
    err: /^workspace_invalid: .*default workspace/,
  });
  t.match(await workspace('create', '--data', dataDir), { code: 2, err: /create takes one argument\nusage: / });
  t.match(await workspace('rename', 'a', 'b'), { code: 2, err: /unknown subcommand "rename"/ });
  t.match(await workspace(), { code: 2, err: /a subcommand is needed/ });
  t.match(await workspace('list', '--data', dataDir, '--colour'), { code: 2, err: /--colour/ });
  const missing = join(dataDir, 'nowhere');
  t.match(await workspace('create', 'x', '--data', missing), { code: 1, err: /^store_missing: no store in / });
  t.match(await workspace('list', '--data', missing), { code: 1, err: /^store_missing: / });
});

t.test(
  'CLUSTER-1: workspace delete refuses a workspace with open work unless forced, and removes that one alone',
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    await threeWorkspaces(dataDir);
    t.match(await workspace('delete', 'acme', '--data', dataDir), {
      code: 1,
      err: /^workspace_busy: workspace "acme" has 1 open conversations and 1 live staff sessions; .*--force/,
    });
    t.same(contents(dataDir).departments.acme, 'acme support', 'a refused delete removes nothing');
    t.match(await workspace('delete', 'default', '--data', dataDir), { code: 1, err: /^workspace_invalid: / });
    t.match(await workspace('delete', 'nobody', '--data', dataDir), { code: 1, err: /^workspace_unknown: / });

    const quiet = await workspace('delete', 'globex', '--data', dataDir);
    t.equal(quiet.code, 0, quiet.err);
    t.match(quiet.out, /workspace globex deleted .*\(2 keys\)/, 'its record and its event');
    const forced = await workspace('delete', 'acme', '--data', dataDir, '--force');
    t.equal(forced.code, 0, forced.err);
    t.match(forced.out, /\(5 keys\)/, 'its department, open mark, two sessions and event');
    t.same(contents(dataDir), {
      workspaces: ['default'],
      departments: { default: 'default support', acme: undefined, globex: undefined },
      events: { default: 1, acme: 0, globex: 0 },
    });
  },
);

t.test('CLUSTER-1: workspace export writes one workspace alone, which restore puts in place', async (t) => {
  const work = tempDataDir();
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const dataDir = join(work, 'live');
  await threeWorkspaces(dataDir);
  const file = join(work, 'acme.switchboard');
  const exported = await workspace('export', 'acme', file, '--data', dataDir);
  t.equal(exported.code, 0, exported.err);
  t.match(exported.out, /workspace acme exported to .*acme\.switchboard/);
  t.match(await workspace('export', 'nobody', file, '--data', dataDir), { code: 1, err: /^workspace_unknown: / });
  t.match(await workspace('export', 'acme', '--data', dataDir), { code: 2 });

  const restoredDir = join(work, 'restored');
  const io = capture();
  t.equal(await runRestore([file, '--data', restoredDir], {}, io), 0, io.errors.join('\n'));
  t.same(contents(restoredDir), {
    workspaces: ['default', 'acme'],
    departments: { default: undefined, acme: 'acme support', globex: undefined },
    events: { default: 0, acme: 1, globex: 0 },
  });
  t.same(
    (JSON.parse((await workspace('list', '--data', restoredDir, '--json')).out) as { id: string }[]).map((w) => w.id),
    ['default', 'acme'],
  );
  t.same(contents(dataDir).workspaces, ['default', 'acme', 'globex'], 'the exported store is unchanged');
});

t.test(
  'CLUSTER-1: beside a running server list and export run, create and delete are refused; the CLI wires them',
  async (t) => {
    const work = tempDataDir();
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'live');
    const server = await startServerProcess(dataDir);
    t.teardown(() => server.proc.kill('SIGKILL'));

    const list = await runCli(['workspace', 'list', '--data', dataDir, '--json']);
    t.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { id: string; liveSessions: number }[];
    t.same(
      rows.map((w) => w.id),
      ['default'],
    );
    t.equal(rows[0]!.liveSessions, server.credentials.size, "the demo's first sessions are live");

    const create = await runCli(['workspace', 'create', 'acme', '--data', dataDir]);
    t.equal(create.code, 1);
    t.match(create.stderr, /^store_locked: data directory .* is in use by another Switchboard process/);
    const file = join(work, 'default.switchboard');
    const exported = await runCli(['workspace', 'export', 'default', file, '--data', dataDir]);
    t.equal(exported.code, 0, exported.stderr);

    server.proc.kill('SIGTERM');
    await server.exited;
    const created = await runCli(['workspace', 'create', 'acme', '--data', dataDir]);
    t.equal(created.code, 0, created.stderr);
    const after = await runCli(['workspace', 'list', '--data', dataDir]);
    t.match(after.stdout, /^default .*\nacme /);
    t.match((await runCli(['workspace'])).stderr, /usage: switchboard workspace list/);
  },
);
