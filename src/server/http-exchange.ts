/**
 * One HTTP request/response on uWebSockets.js that may be answered after
 * async work. uWS rules kept here: onAborted is registered at once (before
 * any await), a response is written once and corked, and never touched after
 * it was aborted or ended. Errors are JSON `{"error":{code,message,field?}}`
 * with the protocol's stable codes.
 */
import { createReadStream } from 'node:fs';
import type { HttpResponse, RecognizedString } from 'uWebSockets.js';
import { ProtocolError, type ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';

const STATUS: Partial<Record<ErrorCode, string>> = {
  unauthorized: '401 Unauthorized',
  forbidden: '403 Forbidden',
  origin_not_allowed: '403 Forbidden',
  not_found: '404 Not Found',
  conflict: '409 Conflict',
  limit_exceeded: '413 Payload Too Large',
  rate_limited: '429 Too Many Requests',
  unsupported_media_type: '415 Unsupported Media Type',
  storage_failed: '503 Service Unavailable',
  timeout: '503 Service Unavailable',
  unavailable: '503 Service Unavailable',
  internal: '500 Internal Server Error',
};

/** The HTTP status of an error code; other client errors are 400. */
export const httpStatus = (code: ErrorCode): string => STATUS[code] ?? '400 Bad Request';

/** An error whose HTTP status is not its code's usual one (an upload body that stalled: 408 with code `timeout`). */
export class HttpStatusError extends ProtocolError {
  constructor(
    readonly status: string,
    code: ErrorCode,
    message: string,
    field?: string,
  ) {
    super(code, message, field);
  }
}

/** How much of a streamed file is read and sent at a time. */
const STREAM_CHUNK_BYTES = 256 * 1024;

export type Headers = readonly (readonly [string, string])[];

/** OPS-4: a request's id (answered as `x-request-id`) and the logger that carries it. */
export interface RequestContext {
  requestId: string;
  log: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
let nextRequest = 0;

/** The caller's `x-request-id` when it is a short plain token (so it can be trusted in logs), else a new one. */
export function requestIdOf(header: string): string {
  return REQUEST_ID.test(header) ? header : `r${process.pid.toString(36)}-${(++nextRequest).toString(36)}`;
}

export class HttpExchange {
  private done = false;
  private abortListeners: (() => void)[] = [];

  constructor(
    private readonly res: HttpResponse,
    private readonly context?: RequestContext,
  ) {
    res.onAborted(() => {
      this.done = true;
      context?.log.debug({ requestId: context.requestId }, 'http request aborted by the client');
      for (const listener of this.abortListeners.splice(0)) listener();
    });
  }

  /** Calls `listener` when the client goes away before the answer (uWS takes one onAborted per response, registered above). */
  onAborted(listener: () => void): void {
    this.abortListeners.push(listener);
  }

  /**
   * Writes the whole response. `closeConnection` when the request body may
   * still be arriving: the connection is closed after the answer, rather
   * than read to its end.
   */
  reply(status: string, headers: Headers, body: RecognizedString, closeConnection = false): void {
    if (this.done) return;
    this.done = true;
    const { context } = this;
    context?.log.debug({ requestId: context.requestId, status }, 'http request answered');
    this.res.cork(() => {
      this.res.writeStatus(status);
      if (context) this.res.writeHeader('x-request-id', context.requestId);
      for (const [name, value] of headers) this.res.writeHeader(name, value);
      this.res.end(body, closeConnection);
    });
  }

  /**
   * Streams a file as a 200 answer of known length, with backpressure: a
   * chunk the socket cannot take now waits for onWritable, and the file is
   * read no faster than the client takes it. Resolves when the answer is
   * complete or the client went away; the file is released either way.
   */
  streamFile(
    file: { path: string; size: number; mediaType: string; release(): void },
    headers: Headers = [],
  ): Promise<void> {
    const { res } = this;
    return new Promise<void>((resolve) => {
      let settled = false;
      const stream = createReadStream(file.path, { highWaterMark: STREAM_CHUNK_BYTES });
      const finish = (): void => {
        if (settled) return;
        settled = true;
        stream.destroy();
        file.release();
        resolve();
      };
      if (this.done) return finish();
      this.abortListeners.push(finish);
      stream.on('error', (err) => {
        this.context?.log.error({ err }, 'file stream failed');
        // Headers are out: the only way to tell the client is to cut the answer short.
        if (!this.done) {
          this.done = true;
          res.close();
        }
        finish();
      });
      res.cork(() => {
        res.writeStatus('200 OK');
        if (this.context) res.writeHeader('x-request-id', this.context.requestId);
        res.writeHeader('content-type', file.mediaType);
        for (const [name, value] of headers) res.writeHeader(name, value);
      });
      if (file.size === 0) {
        this.done = true;
        res.cork(() => res.end());
        return finish();
      }
      stream.on('data', (data: string | Buffer) => {
        if (this.done) return finish();
        const chunk = data as Buffer;
        const bytes = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer;
        const startOffset = res.getWriteOffset();
        let ok = false;
        let complete = false;
        res.cork(() => {
          [ok, complete] = res.tryEnd(bytes, file.size);
        });
        if (complete) {
          this.done = true;
          return finish();
        }
        if (ok) return;
        stream.pause();
        res.onWritable((offset) => {
          if (this.done) return true;
          let again = false;
          [again, complete] = res.tryEnd(bytes.slice(offset - startOffset), file.size);
          if (complete) {
            this.done = true;
            finish();
          } else if (again) stream.resume();
          return again;
        });
      });
    });
  }

  json(status: string, body: unknown, headers: Headers = [], closeConnection = false): void {
    this.reply(status, [['content-type', 'application/json'], ...headers], JSON.stringify(body), closeConnection);
  }

  /** Answers with the error's code (anything but a ProtocolError is `internal`). */
  fail(err: unknown, headers: Headers = [], closeConnection = false): void {
    const e = err instanceof ProtocolError ? err : new ProtocolError('internal', 'internal error');
    this.json(
      e instanceof HttpStatusError ? e.status : httpStatus(e.code),
      { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } },
      headers,
      closeConnection,
    );
  }
}
