/** A Log that keeps what it was told, so a runtime test can check that a drop or a failure was reported. */
import type { Log } from '../../actors/log.js';

export interface RecordingLog extends Log {
  entries: { level: string; msg: string | undefined }[];
}

export function recordingLog(): RecordingLog {
  const entries: { level: string; msg: string | undefined }[] = [];
  const at = (level: string) => (_o: object, msg?: string) => void entries.push({ level, msg });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
