/**
 * The newcomer's path (issue 16, README): `switchboard start` prints the
 * demo URL, and that URL serves the demo shop with the widget snippet.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { tempDataDir } from './support/server.js';
import { httpRequest } from './support/http.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.js');

t.test('WEB-1: npm start prints the demo URL, which serves the demo shop with the widget embedded', async (t) => {
  const dataDir = tempDataDir();
  const proc = spawn(process.execPath, [cli, 'start', '--data', dataDir, '--port', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(async () => {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no demo URL printed within 30 s')), 30_000);
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /Open the demo: (http:\/\/127\.0\.0\.1:(\d+)\/demo)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const port = Number(new URL(url).port);
  t.ok(port > 0, `printed ${url}`);
  const page = await httpRequest(port, '/demo');
  t.equal(page.status, 200);
  t.match(page.body.toString(), /<script src="\/widget\.js" data-department="pre-sales" async><\/script>/);
  t.equal((await httpRequest(port, '/widget.js')).status, 200, 'and the widget it embeds');
});
