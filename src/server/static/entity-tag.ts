/**
 * Strong ETags from the build's content hash, one per representation (a
 * gzip body is another entity than the brotli one), and If-None-Match
 * matching (weak comparison, as RFC 9110 says for that header).
 */
import type { Coding } from './content-coding.js';

export function entityTag(hash: string, coding: Coding): string {
  return coding === 'identity' ? `"${hash}"` : `"${hash}.${coding === 'gzip' ? 'gz' : 'br'}"`;
}

export function noneMatch(header: string, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}
