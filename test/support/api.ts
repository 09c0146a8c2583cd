/** Calls the admin HTTP API (/api/v1) of a test server with fetch. */
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
  const res = await fetch(`http://127.0.0.1:${s.server.port}/api/v1${path}`, {
    method: method.toUpperCase(),
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(raw !== undefined ? { body: raw } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
}

/** An API client signed in as one demo account. */
export const apiAs = (s: TestServer, id: string) => (method: string, path: string, body?: unknown) =>
  api(s, s.cred(id).token, method, path, body);
