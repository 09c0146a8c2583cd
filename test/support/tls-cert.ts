/**
 * Self-signed certificates made by the test that uses them (openssl, EC
 * P-256: fast to make), for TLS tests; no key is ever committed.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** PEM text of the certificate, for a client's `ca`. */
  pem: string;
  /** SHA-256 fingerprint, as Node's getPeerCertificate().fingerprint256 writes it. */
  fingerprint: string;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A directory for certificates, removed when the test ends. */
export function certDir(t: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A self-signed certificate for `names` (DNS names; 127.0.0.1 and ::1 always), written as <name>.crt and <name>.key in `dir`. */
export function makeCertificate(dir: string, name: string, names: string[] = ['localhost']): TestCertificate {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1', 'IP:::1'].join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=switchboard test ${name}`,
      '-addext',
      `subjectAltName=${san}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(certFile, 'utf8');
  return { certFile, keyFile, pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}
