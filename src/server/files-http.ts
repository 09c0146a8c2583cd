/**
 * CONV-1 over HTTP: files and images for chat messages.
 *
 *   POST /v1/files?conversationId=<id>&name=<file name>   body = the bytes
 *   GET  /v1/files/<id>
 *
 * Both take `Authorization: Bearer <staff token>` or `Visitor <visitor id>`.
 * Uploading needs the right to write to the conversation, downloading the
 * right to read it; the conversation actor decides both, by the same rules
 * as send and resume. A file is answered (201) only once it is committed;
 * the message that shows it is a separate `send` with its `fileId`.
 */
import { assertOwnId, scopedId } from '../../protocol/workspace-scope.js';
import { createHash, randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ProtocolError } from '../../protocol/errors.js';
import { ConversationId, FileId, type FileRef } from '../../protocol/frames.js';
import type { Directory } from '../../actors/directory.js';
import type { Caller } from '../../actors/notifier.js';
import { Keys } from '../../actors/keyspace.js';
import { uploaderOf, type FileRecord } from '../../actors/files.js';
import { ALLOWED_MEDIA_TYPES, allowedMediaType, bytesMatchType, type AllowedMediaType } from '../files/media-types.js';
import { contentDisposition, sanitizeFileName } from '../files/file-names.js';
import { authenticate } from './http-auth.js';
import { HttpExchange, HttpStatusError, requestIdOf, type Headers, type RequestContext } from './http-exchange.js';
import { RequestBody } from './request-body.js';
import { MAX_UPLOADS_IN_FLIGHT, UploadSlots, type UploadSlot } from './upload-slots.js';
import type { SpaceReserver } from '../store/space-account.js';
import type { GatewayState } from './gateway.js';
import type { Logger } from '../logger.js';
import { corsHeaders, pageMayEmbed } from './embedding.js';

export { MAX_UPLOADS_IN_FLIGHT };

export interface FilesOptions {
  /** Largest file accepted, in bytes. */
  maxUploadBytes: number;
  /** An upload whose body sends nothing for this long is answered 408 and its slot given back (0: no timeout). */
  uploadIdleMs: number;
  /** OPS-5: the store's disk-space account; an upload reserves its bytes there before they are kept. */
  space?: SpaceReserver;
  /** OPS-4: told the number of uploads in flight whenever it changes. */
  onUploadsInFlight?: (n: number) => void;
}

export interface FilesHttpOptions extends FilesOptions {
  /** Counts work that a graceful shutdown must wait for (a file being stored). */
  track: (work: Promise<unknown>) => void;
}

/**
 * The widget runs on the customer's site, another origin; credentials travel in a header, never a cookie.
 * WEB-1: the site must be on the workspace's allowlist (embedding.ts), whose origin the answer echoes.
 */
const EXPOSE: Headers = [['access-control-expose-headers', 'content-disposition, location, x-request-id']];

/** The page a request comes from: its Origin and the Host it asked for. */
type Page = { origin: string; host: string };

/** What a download carries besides its type: never rendered as a page, never sniffed into another type. */
const DOWNLOAD_HEADERS: Headers = [
  ['x-content-type-options', 'nosniff'],
  ['content-security-policy', "default-src 'none'; sandbox"],
  ['cache-control', 'private, no-store'],
];

/** The disk has no room for the file above the free-space reserve (OPS-5). */
const noSpace = (): ProtocolError =>
  new ProtocolError('storage_failed', 'not enough free disk space for this file; retry later', 'body');

// Ids from the URL are checked like ids in frames before they reach the store as keys.
const conversationIdRule = TypeCompiler.Compile(ConversationId);
const fileIdRule = TypeCompiler.Compile(FileId);

type Upload = {
  page: Page;
  conversationId: string;
  name: string;
  type: AllowedMediaType | undefined;
  declaredLength: number | undefined;
};

/** A path segment as its client meant it: `acme%3Af-…` (encodeURIComponent of a scoped id) is `acme:f-…`. */
function decodedSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // Not valid percent-encoding: the id check refuses it as it is.
    return raw;
  }
}

export class FilesHttp {
  /** OPS-5: uploads whose bytes are arriving or being stored. */
  private readonly slots: UploadSlots;

  constructor(
    private readonly dir: Directory,
    private readonly log: Logger,
    private readonly state: GatewayState,
    private readonly options: FilesHttpOptions,
    /** CLUSTER-1: the workspace's route prefix ('' for the default workspace). */
    private readonly prefix = '',
  ) {
    this.slots = new UploadSlots(options.space, options.onUploadsInFlight);
  }

  /** The file routes under `p` (the workspace's own prefix, or an alias of it: `/w/default` for the default one). */
  register(app: TemplatedApp, p = this.prefix): void {
    app.options(`${p}/v1/files`, (res, req) => this.preflight(res, pageOf(req)));
    app.options(`${p}/v1/files/:id`, (res, req) => this.preflight(res, pageOf(req)));
    app.post(`${p}/v1/files`, (res, req) => this.upload(res, req));
    app.get(`${p}/v1/files/:id`, (res, req) => this.download(res, req));
  }

  /** WEB-1: the CORS headers of an answer to `page`. */
  private cors(page: Page): Headers {
    return [...corsHeaders(page.origin, page.host, this.dir.settings.widgetOrigins), ...EXPOSE];
  }

  private preflight(res: HttpResponse, page: Page): void {
    new HttpExchange(res).reply(
      '204 No Content',
      [
        ...this.cors(page),
        ['access-control-allow-methods', 'GET, POST, OPTIONS'],
        ['access-control-allow-headers', 'authorization, content-type'],
        ['access-control-max-age', '600'],
      ],
      '',
    );
  }

  /** OPS-4: every log line about one request carries its id. */
  private context(req: HttpRequest, method: string): RequestContext {
    const requestId = requestIdOf(req.getHeader('x-request-id'));
    const log = this.log.child({ requestId });
    log.debug({ method, url: req.getUrl() }, 'http request');
    return { requestId, log };
  }

  private upload(res: HttpResponse, req: HttpRequest): void {
    const context = this.context(req, 'POST');
    const exchange = new HttpExchange(res, context);
    // req is valid only during this call: everything is read now.
    const authorization = req.getHeader('authorization');
    const declaredType = req.getHeader('content-type');
    const length = req.getHeader('content-length');
    // getQuery(key) would decode the query in place: parse the raw query once instead.
    const query = new URLSearchParams(req.getQuery() ?? '');
    const page = pageOf(req);
    const cors = this.cors(page);
    const type = allowedMediaType(declaredType);
    const declaredLength = length === '' ? undefined : Number(length);
    const slot = this.slots.take();
    // A type that will be refused, or an upload that is not admitted, is not kept at all.
    const body = new RequestBody(res, {
      limit: type && slot ? this.options.maxUploadBytes : 0,
      declaredLength,
      ...(slot
        ? {
            idle: { clock: this.dir.deps.clock, ms: this.options.uploadIdleMs },
            room: (received: number) => slot.cover(received),
          }
        : {}),
    });
    exchange.onAborted(() => body.abort());
    if (!slot) {
      this.fail(
        exchange,
        new ProtocolError('unavailable', `${MAX_UPLOADS_IN_FLIGHT} uploads are arriving already; retry shortly`),
        !body.ended,
        context.log,
        cors,
      );
      return;
    }
    const upload: Upload = {
      page,
      conversationId: query.get('conversationId') ?? '',
      name: sanitizeFileName(query.get('name')),
      type,
      declaredLength,
    };
    this.receive(authorization, upload, body, slot, context.log)
      .then(
        (file) => exchange.json('201 Created', { file }, [['location', `${this.prefix}/v1/files/${file.id}`], ...cors]),
        // Answered before the whole body arrived: close the connection rather than read the rest.
        (err: unknown) => this.fail(exchange, err, !body.ended, context.log, cors),
      )
      .finally(() => {
        // Every way an upload ends comes through here: its slot and disk space are given back once, and nothing more of its body is kept.
        body.abort();
        slot.release();
      });
  }

  private async receive(
    authorization: string,
    upload: Upload,
    body: RequestBody,
    slot: UploadSlot,
    log: Logger,
  ): Promise<FileRef> {
    this.ensureServing();
    const caller = await authenticate(this.dir, authorization);
    // WEB-1: a visitor's upload from a page of a site not on the allowlist, whatever the browser would have done with the answer.
    if (
      caller.role === 'visitor' &&
      !pageMayEmbed(upload.page.origin, upload.page.host, this.dir.settings.widgetOrigins)
    )
      throw new ProtocolError('origin_not_allowed', `${upload.page.origin} may not embed this workspace's widget`);
    if (!conversationIdRule.Check(upload.conversationId))
      throw new ProtocolError(
        'invalid_field',
        'the conversationId query parameter names the conversation',
        'conversationId',
      );
    await this.access(caller, upload.conversationId, true);
    const { type } = upload;
    if (!type)
      throw new ProtocolError(
        'unsupported_media_type',
        `Content-Type must be one of ${ALLOWED_MEDIA_TYPES.join(', ')}`,
        'content-type',
      );
    const tooLarge = new ProtocolError(
      'limit_exceeded',
      `a file is at most ${this.options.maxUploadBytes} bytes`,
      'body',
    );
    if ((upload.declaredLength ?? 0) > this.options.maxUploadBytes) throw tooLarge;
    // OPS-5: the declared bytes are set aside before they are kept (a body without Content-Length reserves as it arrives).
    if (!slot.authorize(upload.declaredLength ?? 0)) throw noSpace();
    const received = await body.body;
    if (!received.ok) {
      switch (received.reason) {
        case 'too_large':
          throw tooLarge;
        case 'no_space':
          throw noSpace();
        case 'idle':
          log.info(
            { conversationId: upload.conversationId, received: received.received, idleMs: this.options.uploadIdleMs },
            'upload body stalled: answered 408',
          );
          throw new HttpStatusError(
            '408 Request Timeout',
            'timeout',
            `no bytes of the body for ${this.options.uploadIdleMs} ms; send the file again`,
            'body',
          );
        case 'aborted':
          log.debug(
            { conversationId: upload.conversationId, received: received.received },
            'upload abandoned by the client',
          );
          throw new ProtocolError('invalid_field', 'the client closed the connection before the body arrived', 'body');
      }
    }
    if (received.bytes.length === 0) throw new ProtocolError('invalid_field', 'the file is empty', 'body');
    if (!bytesMatchType(type, received.bytes))
      throw new ProtocolError('unsupported_media_type', `the bytes are not ${type}`, 'body');
    // Checked again: a shutdown may have begun while the body arrived, and nothing may be written after it.
    this.ensureServing();
    // The store reserves the write itself, in this same turn.
    slot.handOverSpace();
    return this.store(caller, upload.conversationId, upload.name, type, received.bytes, log);
  }

  /** Writes the metadata and the bytes in one transaction; resolves once committed. */
  private async store(
    caller: Caller,
    conversationId: string,
    name: string,
    type: AllowedMediaType,
    bytes: Buffer,
    log: Logger,
  ): Promise<FileRef> {
    const id = scopedId(this.dir.workspaceId, `f-${randomUUID()}`);
    const record: FileRecord = {
      id,
      conversationId,
      uploader: uploaderOf(caller),
      name,
      type,
      size: bytes.length,
      at: this.dir.deps.clock.now(),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    // Issued in this turn (async only turns a synchronous throw of a closed store into a rejection).
    const write = (async () =>
      this.dir.deps.journal.writeRecords([
        { key: Keys.fileData(id), value: bytes },
        { key: Keys.file(id), value: record },
      ]))();
    this.options.track(write);
    await write.catch((err: unknown) => {
      log.error({ err, conversationId, size: bytes.length }, 'file not stored');
      throw new ProtocolError('storage_failed', 'the file was not stored; retry');
    });
    log.debug({ fileId: id, conversationId, type, size: bytes.length }, 'file stored');
    return { id, name, type, size: bytes.length };
  }

  private download(res: HttpResponse, req: HttpRequest): void {
    const context = this.context(req, 'GET');
    const exchange = new HttpExchange(res, context);
    const id = decodedSegment(req.getParameter(0) ?? '');
    const authorization = req.getHeader('authorization');
    const cors = this.cors(pageOf(req));
    this.read(authorization, id).then(
      ({ record, bytes }) =>
        exchange.reply(
          '200 OK',
          [
            ['content-type', record.type === 'text/plain' ? 'text/plain; charset=utf-8' : record.type],
            [
              'content-disposition',
              contentDisposition(record.type.startsWith('image/') ? 'inline' : 'attachment', record.name),
            ],
            ...DOWNLOAD_HEADERS,
            ...cors,
          ],
          bytes,
        ),
      (err: unknown) => this.fail(exchange, err, false, context.log, cors),
    );
  }

  private async read(authorization: string, id: string): Promise<{ record: FileRecord; bytes: Uint8Array }> {
    this.ensureServing();
    const caller = await authenticate(this.dir, authorization);
    assertOwnId(this.dir.workspaceId, id, 'id');
    // One answer for a file that does not exist and one the caller may not read: existence does not leak.
    const noSuchFile = new ProtocolError('not_found', 'no such file', 'id');
    const { journal } = this.dir.deps;
    const record = fileIdRule.Check(id) ? journal.getRecord<FileRecord>(Keys.file(id)) : undefined;
    if (!record) throw noSuchFile;
    await this.access(caller, record.conversationId, false).catch((err: unknown) => {
      throw err instanceof ProtocolError && err.code === 'not_found' ? noSuchFile : err;
    });
    const bytes = journal.getRecord<Uint8Array>(Keys.fileData(id));
    if (!bytes) throw new Error(`file ${id} has metadata but no bytes`);
    return { record, bytes };
  }

  /** The conversation actor's answer: its visitor and writers may upload, its readers download. */
  private async access(caller: Caller, conversationId: string, write: boolean): Promise<void> {
    const conversation = this.dir.conversation(conversationId);
    if (!conversation) throw new ProtocolError('not_found', 'no such conversation', 'conversationId');
    await this.dir.deps.runtime.ask(conversation, { type: 'access', caller, write });
  }

  private ensureServing(): void {
    if (!this.state.ready || this.state.draining)
      throw new ProtocolError('unavailable', 'the server is starting or shutting down; retry');
  }

  private fail(exchange: HttpExchange, err: unknown, closeConnection: boolean, log: Logger, cors: Headers): void {
    if (!(err instanceof ProtocolError)) log.error({ err }, 'file request failed unexpectedly');
    const headers: Headers =
      err instanceof ProtocolError && err.code === 'unauthorized'
        ? [['www-authenticate', 'Bearer, Visitor'], ...cors]
        : cors;
    exchange.fail(err, headers, closeConnection);
  }
}

/** Read while `req` is valid, like every header. */
const pageOf = (req: HttpRequest): Page => ({ origin: req.getHeader('origin'), host: req.getHeader('host') });
