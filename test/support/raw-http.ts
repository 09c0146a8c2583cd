/**
 * One HTTP/1.1 request written byte for byte on a socket, for request
 * targets that node:http refuses or rewrites (backslashes, raw dots, NUL).
 */
import { connect } from 'node:net';

export function rawRequest(
  port: number,
  target: string,
  timeoutMs = 10_000,
): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to GET ${JSON.stringify(target)}`));
    }, timeoutMs);
    // The write half is closed after the request: a server that will not answer closes instead of waiting for more.
    socket.on('connect', () =>
      socket.end(
        Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, 'latin1'),
      ),
    );
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        head,
        body: split >= 0 ? text.slice(split + 4) : '',
      });
    });
  });
}
