/**
 * The agent's messages on their way (WEB-3, OPS-2): each gets a clientMsgId
 * and is kept in localStorage until the server acknowledges it, so one
 * written before a dropped network or a reload is sent again after it; the
 * server stores a retry once. Files are uploaded first (shared/upload.ts)
 * and then sent as a message with their fileId.
 */
import { serverBase } from '../../shared/workspace-base.js';
import { CommandError } from '../../shared/connection.js';
import { UPLOAD_TYPES, UploadError, fileUrl, uploadFile } from '../../shared/upload.js';
import type { ConsoleSession } from '../session.js';
import type { Conversation, Outgoing } from './conversation.js';
import type { DeskStorage } from './desk-storage.js';

/** What the outbox needs of the desk it belongs to. */
export interface OutboxHost {
  readonly session: ConsoleSession;
  readonly conversations: ReadonlyMap<string, Conversation>;
  conv(id: string): Conversation;
  changed(): void;
}

export class Outbox {
  constructor(
    private readonly host: OutboxHost,
    private readonly storage: DeskStorage,
  ) {}

  /** Puts back what an earlier page of this browser had not got acknowledged. */
  restore(): void {
    for (const [id, pending] of Object.entries(this.storage.load<Record<string, Outgoing[]>>('pending') ?? {}))
      this.host.conv(id).pending = pending.filter((p) => p.fileId !== undefined || p.text !== undefined);
  }

  sendText(id: string, text: string): void {
    const c = this.host.conv(id);
    c.pending = [...c.pending, { clientMsgId: newClientMsgId(), text }];
    this.save();
    this.host.changed();
    void this.flush(id);
  }

  async sendFile(id: string, file: File): Promise<void> {
    const o: Outgoing = { clientMsgId: newClientMsgId(), progress: 0, fileName: file.name };
    const c = this.host.conv(id);
    c.pending = [...c.pending, o];
    this.host.changed();
    try {
      if (!UPLOAD_TYPES.includes(file.type)) throw new UploadError('type');
      const ref = await uploadFile(serverBase(), this.bearer(), id, file, (p) => {
        o.progress = p;
        this.host.changed();
      });
      o.fileId = ref.id;
      delete o.progress;
      this.save();
      void this.flush(id);
    } catch (err) {
      o.problem = err instanceof UploadError ? err.problem : 'network';
      delete o.progress;
      this.host.changed();
    }
  }

  fileUrl(fileId: string): Promise<string> {
    return fileUrl(serverBase(), this.bearer(), fileId);
  }

  drop(id: string, clientMsgId: string): void {
    const c = this.host.conv(id);
    c.pending = c.pending.filter((p) => p.clientMsgId !== clientMsgId);
    this.save();
    this.host.changed();
  }

  /** Sends what waits for a conversation, in order; a lost socket stops it until the next connection. */
  async flush(id: string): Promise<void> {
    const c = this.host.conv(id);
    for (const o of [...c.pending]) {
      if (o.progress !== undefined || o.problem !== undefined) continue;
      if (o.text === undefined && o.fileId === undefined) continue;
      try {
        await this.host.session.ask({
          type: 'send',
          conversationId: id,
          clientMsgId: o.clientMsgId,
          ...(o.text !== undefined ? { text: o.text } : {}),
          ...(o.fileId !== undefined ? { fileId: o.fileId } : {}),
        });
        c.pending = c.pending.filter((p) => p.clientMsgId !== o.clientMsgId);
      } catch (err) {
        if (err instanceof CommandError && err.code === 'disconnected') return;
        o.problem = err instanceof CommandError ? err.message : 'refused';
      }
      this.save();
      this.host.changed();
    }
  }

  private bearer(): string {
    return `Bearer ${this.host.session.auth.session?.token ?? ''}`;
  }

  private save(): void {
    const all: Record<string, Outgoing[]> = {};
    for (const c of this.host.conversations.values()) {
      const keep = c.pending.filter((p) => p.progress === undefined && p.problem === undefined);
      if (keep.length) all[c.id] = keep;
    }
    this.storage.save('pending', all);
  }
}

function newClientMsgId(): string {
  return `a-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
