/**
 * Collects an HTTP request body on uWebSockets.js up to a size limit. Must be
 * created in the route handler itself, before any await: body chunks that
 * arrive before onData is registered are lost. Each chunk is copied, since
 * uWS reuses its ArrayBuffer once the callback returns. Once the limit is
 * passed nothing more is kept and `body` settles at once, without waiting
 * for the rest.
 */
import type { HttpResponse } from 'uWebSockets.js';

export type BodyOutcome = { ok: true; bytes: Buffer } | { ok: false; received: number };

export class RequestBody {
  /** The body, or `ok: false` as soon as it is known to exceed the limit. */
  readonly body: Promise<BodyOutcome>;
  /** The last chunk has arrived: answering now leaves nothing unread on the connection. */
  ended = false;
  private received = 0;

  /** `declaredLength`: the Content-Length header, if any; a body declared too long is refused before it arrives. */
  constructor(res: HttpResponse, limit: number, declaredLength: number | undefined) {
    this.body = new Promise((resolve) => {
      let over = declaredLength !== undefined && declaredLength > limit;
      if (over) resolve({ ok: false, received: 0 });
      let chunks: Buffer[] = [];
      res.onData((chunk, isLast) => {
        this.ended = isLast;
        if (over) return;
        this.received += chunk.byteLength;
        if (this.received > limit) {
          over = true;
          chunks = [];
          return resolve({ ok: false, received: this.received });
        }
        chunks.push(Buffer.from(chunk.slice(0)));
        if (isLast) resolve({ ok: true, bytes: Buffer.concat(chunks, this.received) });
      });
    });
  }
}
