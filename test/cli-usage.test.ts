/**
 * The command line as a newcomer meets it: a mistyped command says what was
 * wrong, then the usage, and exits 2 like every other usage error; `--help`
 * prints the usage and exits 0; after a build the project's own bin runs
 * through `npx switchboard` (npm ci puts no `switchboard` on the PATH).
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './support/process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

t.test('OPS-3 command line: an unknown command prints the reason, then the usage, and exits 2', async (t) => {
  const r = await runCli(['strat', '--port', '0']);
  t.equal(r.code, 2, 'exit code 2, as for any usage error');
  const lines = r.stderr.split('\n');
  t.equal(lines[0], 'unknown command "strat"', 'the reason comes first');
  t.match(
    r.stderr,
    /usage: switchboard start .*\n.*switchboard backup .*\n.*switchboard restore .*\n(.*switchboard workspace .*\n){4}.*switchboard simulate /,
    'then the usage of every command',
  );
  t.equal(r.stdout, '', 'nothing on stdout');
});

t.test('OPS-3 command line: --help, -h and no command print the usage without a reason and exit 0', async (t) => {
  for (const args of [['--help'], ['-h'], ['help'], []]) {
    const r = await runCli(args);
    t.equal(r.code, 0, `${args.join(' ') || '(none)'}: exit 0`);
    t.match(r.stderr, /^usage: switchboard start /, `${args.join(' ') || '(none)'}: the usage first`);
    t.notMatch(r.stderr, /unknown command/, `${args.join(' ') || '(none)'}: no error`);
  }
});

t.test('OPS-3 command line: `npx switchboard --help` runs the built bin from the project directory', async (t) => {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    // --offline: the project's own bin needs no registry.
    const proc = spawn(npx, ['--offline', 'switchboard', '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(
      () => (proc.kill('SIGKILL'), reject(new Error('npx switchboard --help did not finish in 60 s'))),
      60_000,
    );
    proc.once('exit', (code) => (clearTimeout(timer), resolve({ code, stderr })));
  });
  t.equal(r.code, 0, 'exit 0');
  t.match(r.stderr, /^usage: switchboard start /m, 'the usage of the built CLI');
});
