/**
 * WEB-1: the TLS certificate and key the server is given as files
 * (`--tls-cert`, `--tls-key`). They are read and checked here, with Node's
 * own TLS code, before uWebSockets.js gets their names: uWS reports a bad
 * file only as "App construction failed", and ignores one silently where it
 * adds a server name, so the reason (unreadable, not PEM, key of another
 * certificate) is found here and carried by a stable code.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { readFileSync } from 'node:fs';

export interface TlsFiles {
  /** PEM: the certificate, then any intermediate certificates. */
  certFile: string;
  /** PEM: its private key, unencrypted. */
  keyFile: string;
}

/** What the log says about a certificate in use. */
export interface TlsSummary {
  subject: string;
  /** SHA-256 fingerprint, as browsers show it. */
  fingerprint: string;
  validTo: string;
  expired: boolean;
}

export class TlsError extends Error {
  readonly code = 'tls_invalid';
  override readonly name = 'TlsError';
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TlsError(`cannot read the TLS ${what} file ${file}: ${(err as Error).message}`);
  }
}

/** Reads both files and checks that they make one TLS identity; throws a TlsError saying why not. */
export function checkTlsFiles(files: TlsFiles, now = Date.now()): TlsSummary {
  const cert = read(files.certFile, 'certificate');
  const key = read(files.keyFile, 'key');
  let first: X509Certificate;
  try {
    first = new X509Certificate(cert);
  } catch (err) {
    throw new TlsError(`${files.certFile} holds no PEM certificate: ${(err as Error).message}`);
  }
  try {
    // Refuses a key that is not PEM, is encrypted, or belongs to another certificate.
    createSecureContext({ cert, key });
  } catch (err) {
    throw new TlsError(
      `the key ${files.keyFile} does not fit the certificate ${files.certFile}: ${(err as Error).message}`,
    );
  }
  return {
    subject: first.subject.replaceAll('\n', ', '),
    fingerprint: first.fingerprint256,
    validTo: first.validTo,
    expired: Date.parse(first.validTo) < now,
  };
}
