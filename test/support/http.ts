/** Plain HTTP requests against a test server (node:http, a fresh connection each). */
import { request, type IncomingHttpHeaders, type ClientRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): { error?: { code: string; message: string; field?: string }; file?: Record<string, unknown> };
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** One buffer (sent with Content-Length), or chunks (sent chunked, one write each). */
  body?: Buffer | Buffer[];
  /** Called with the request once the body's chunks are written; by default it is ended then. */
  leaveOpen?: (req: ClientRequest) => void;
  timeoutMs?: number;
}

export function httpRequest(port: number, path: string, opts: HttpOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to ${opts.method ?? 'GET'} ${path} within ${opts.timeoutMs ?? 15_000} ms`));
    }, opts.timeoutMs ?? 15_000);
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          answered = true;
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString('utf8')) as ReturnType<HttpAnswer['json']>,
          });
        });
      },
    );
    // The server may close the connection right after an early answer, while the body is still being written.
    req.on('error', (err) => {
      clearTimeout(timer);
      if (!answered) reject(err);
    });
    const { body } = opts;
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      if (opts.leaveOpen) opts.leaveOpen(req);
      else req.end();
    } else req.end(body);
  });
}
