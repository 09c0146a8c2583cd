/**
 * CONV-1 from the browser apps (widget and console): a file goes up with XMLHttpRequest, whose upload
 * progress events drive the progress bar (fetch reports no upload
 * progress), as the raw body of `POST /v1/files` (docs/protocol.md, "Files
 * and images"); it comes down with fetch, as a blob the page shows through
 * a blob: URL. Both carry the caller's Authorization header (`Visitor <id>`
 * from the widget, `Bearer <token>` from the console).
 */
import type { FileRef } from '../../../protocol/frames.js';
import type { UploadProblem } from './upload-problem.js';

export type { UploadProblem };

/** The types the server accepts (src/files/media-types.ts); others are refused before any byte is sent. */
export const UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];

export class UploadError extends Error {
  constructor(readonly problem: UploadProblem) {
    super(problem);
  }
}

const problemOf = (status: number, code: string | undefined): UploadProblem => {
  if (status === 413) return 'too_large';
  if (status === 415) return 'type';
  if (code === 'storage_failed') return 'space';
  if (status === 503 || status === 408) return 'busy';
  return 'refused';
};

export function uploadFile(
  server: string,
  authorization: string,
  conversationId: string,
  file: Blob & { name: string },
  onProgress: (fraction: number) => void,
): Promise<FileRef> {
  if (!UPLOAD_TYPES.includes(file.type)) return Promise.reject(new UploadError('type'));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = `conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(file.name)}`;
    xhr.open('POST', `${server}/v1/files?${q}`);
    xhr.setRequestHeader('Authorization', authorization);
    xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { file?: FileRef; error?: { code?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON: judged by the status alone.
      }
      if (xhr.status === 201 && body.file) resolve(body.file);
      else reject(new UploadError(problemOf(xhr.status, body.error?.code)));
    };
    // The server closes the connection after refusing an oversized body: the browser may see no answer at all.
    xhr.onerror = () => reject(new UploadError('network'));
    xhr.send(file);
  });
}

/** The bytes of a file of the conversation, as a blob: URL for an <img> or a download link. */
export async function fileUrl(server: string, authorization: string, fileId: string): Promise<string> {
  const res = await fetch(`${server}/v1/files/${encodeURIComponent(fileId)}`, {
    headers: { Authorization: authorization },
  });
  if (!res.ok) throw new UploadError('refused');
  return URL.createObjectURL(await res.blob());
}
