/** CONV-1: uploaded files as stored (src/server/files-http.ts writes them, the conversation checks what is sent). */

/** CONV-1: an uploaded file's metadata; its bytes are the record at Keys.fileData, written in the same transaction. */
export interface FileRecord {
  id: string;
  /** The conversation it was uploaded to: only its readers may download it, only there may it be sent. */
  conversationId: string;
  /** Who uploaded it (uploaderOf): only they may send it in a message. */
  uploader: string;
  name: string;
  type: string;
  size: number;
  at: number;
  /** hex, of the bytes as stored. */
  sha256: string;
}

/** A file's uploader as stored: visitor and staff ids are separate namespaces, so the kind is part of it. */
export const uploaderOf = (c: { role: string; id: string }): string =>
  `${c.role === 'visitor' ? 'visitor' : 'staff'}:${c.id}`;
