/** Calls the admin HTTP API (/api/v1) of a test server with fetch. */
import { request as httpsRequest } from 'node:https';
import type { TestServer } from './server.js';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
}

/** `body`: an object is sent as JSON; a string or Buffer as is (for malformed bodies). */
export async function api(
  s: TestServer,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const raw =
    body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const allHeaders = {
    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
    ...headers,
  };
  if (s.ca !== undefined) return overTls(s.server.port, s.ca, method.toUpperCase(), `/api/v1${path}`, allHeaders, raw);
  const res = await fetch(`http://127.0.0.1:${s.server.port}/api/v1${path}`, {
    method: method.toUpperCase(),
    headers: allHeaders,
    ...(raw !== undefined ? { body: raw } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
}

/** WEB-1: fetch cannot be given a certificate to trust; node:https can. */
function overTls(
  port: number,
  ca: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, method, path, headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An API client signed in as one demo account. */
export const apiAs = (s: TestServer, id: string) => (method: string, path: string, body?: unknown) =>
  api(s, s.cred(id).token, method, path, body);
