/**
 * CONV-1: an uploaded file's name as stored and shown to others. It is the
 * uploader's text, so it is made harmless wherever it may end up: a file
 * system (no directories, no characters Windows refuses, no leading dots),
 * a Content-Disposition header (no quotes, backslashes or control
 * characters) and a chat window (no bidirectional overrides that would
 * show `txt.exe` as `exe.txt`). Bounded to Limits.maxFileNameLength.
 */
import { Limits } from '../../protocol/limits.js';

/** Control characters, C1 controls, bidi embeddings/overrides/isolates, and what file systems or headers choke on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are stripped.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"*:<>?|]/gu;

/** An extension this long or shorter is kept when a name is shortened. */
const MAX_EXTENSION = 16;

export function sanitizeFileName(raw: string | null | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop()!;
  const name = base
    .replace(UNSAFE, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+/u, '');
  if (name === '') return 'file';
  return shorten(name, Limits.maxFileNameLength);
}

/** Cuts at code points, never inside a surrogate pair, keeping a short extension. */
function shorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= MAX_EXTENSION ? name.slice(dot) : '';
  let head = '';
  for (const ch of name.slice(0, name.length - ext.length)) {
    if (head.length + ch.length + ext.length > max) break;
    head += ch;
  }
  return head.trimEnd() + ext;
}

/** `Content-Disposition` for a download: a plain ASCII `filename` for old clients, the exact name as RFC 8187 `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/gu, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
