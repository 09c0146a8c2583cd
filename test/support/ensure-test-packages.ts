/**
 * A step of `npm test`, before tap: the browser tests drive Debian's
 * Chromium (with fonts-noto-cjk for Chinese), the reverse-proxy test
 * runs Debian's nginx in front of a server (WEB-1), and the cluster tests run
 * Debian's nats-server as a JetStream cluster (CLUSTER-2/3). Where any is missing and
 * this is root with apt-get, it installs them (`apt-get update` once, then
 * the missing packages); elsewhere it stops and says what to install. It
 * never downloads a browser build of its own. nginx and nats-server are only ever run by the
 * tests themselves (foreground, unprivileged port, its own prefix): where the
 * package starts its system service on install, that is the package's doing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './browser-path.js';
import { nginxPath } from './nginx.js';
import { natsServerPath } from './nats-cluster.js';

const packages = ['chromium', 'fonts-noto-cjk', 'nginx', 'nats-server'] as const;

function installed(pkg: string): boolean {
  if (pkg === 'chromium' && !existsSync(chromiumPath)) return false;
  if (pkg === 'nginx' && !existsSync(nginxPath)) return false;
  if (pkg === 'nats-server' && !existsSync(natsServerPath)) return false;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${Status} is dpkg-query's own format field, not a template.
  const q = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  if (q.error)
    return pkg === 'fonts-noto-cjk' ? existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') : true;
  return q.status === 0 && q.stdout.includes('install ok installed');
}

function run(cmd: string, args: string[]): void {
  process.stdout.write(`browser tests: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function main(): number {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return 0;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    process.stderr.write(
      `\nThe browser, reverse-proxy and cluster tests need Debian's ${missing.join(', ')} (${chromiumPath}, CJK fonts, ${nginxPath}, ${natsServerPath}), which are not installed.\n` +
        `Install them as root:  apt-get update && apt-get install -y ${packages.join(' ')}\n` +
        `(On other systems: a Chromium at ${chromiumPath}, Noto CJK fonts, nginx at ${nginxPath} and nats-server 2.9 or later at ${natsServerPath}.) Then run npm test again.\n\n`,
    );
    return 1;
  }
  try {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', ...missing]);
  } catch (err) {
    process.stderr.write(`\nCould not install ${missing.join(' ')}: ${(err as Error).message}\n`);
    return 1;
  }
  return missing.every(installed) ? 0 : 1;
}

process.exitCode = main();
