/** The Output of a command-line function (backup, restore, workspace), kept for a test to read. */
import type { Output } from '../../src/backup-commands.js';

export function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}
