/**
 * OPS-3 over the admin API: `GET /backup` downloads a consistent copy of the
 * whole store. The copy is made by LMDB from one read transaction (the
 * state of one commit, written beside the live store's writes, compacted)
 * into a private temporary directory, streamed to the admin with
 * backpressure, and deleted once sent or when the client goes away. One
 * download runs at a time: a copy costs disk and I/O the size of the store.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '../../../protocol/errors.js';
import { fileRoute } from './route.js';

let running = false;

/** `switchboard-backup-2026-12-02T06-30-00Z.mdb`: sorts by time, safe in any file system. */
const fileNameAt = (ms: number): string =>
  `switchboard-backup-${new Date(ms)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}.mdb`;

export const backupRoutes = [
  fileRoute({
    method: 'get',
    path: '/backup',
    permission: 'backup.download',
    summary:
      'Download a backup of the whole store (OPS-3): one consistent LMDB copy, streamed; restore it with `switchboard restore <file>`',
    mediaType: 'application/octet-stream',
    handle: async (_in, ctx) => {
      if (running) throw new ProtocolError('conflict', 'a backup download is already running; try again when it ends');
      running = true;
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-download-'));
      const release = (): void => {
        rmSync(dir, { recursive: true, force: true });
        running = false;
      };
      try {
        const path = join(dir, 'data.mdb');
        await ctx.backup(path);
        const { size } = statSync(path);
        const at = ctx.dir.deps.clock.now();
        await ctx.audit({
          action: 'backup.download',
          target: { kind: 'workspace', id: 'default' },
          detail: { bytes: size },
        });
        return { path, size, fileName: fileNameAt(at), mediaType: 'application/octet-stream', release };
      } catch (err) {
        release();
        throw err;
      }
    },
  }),
];
