/**
 * Saving a downloaded file (the backup, a report's CSV) as the browser's
 * own download: the API wants the bearer token in a header, which a plain
 * link cannot send, so the page fetches the file and offers the blob. The
 * hook keeps what a download button shows: busy, the saved file, or the
 * problem (WEB-7).
 */
import { useState } from 'preact/hooks';
import type { AdminApi } from './api.js';
import { useAdmin } from './context.js';
import { problemOf, type Problem } from './problem.js';

export interface Saved {
  name: string;
  bytes: number;
}

export async function saveDownload(api: AdminApi, path: string): Promise<Saved> {
  const { blob, fileName } = await api.download(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser reads the blob after the click returns; it is let go once the download has surely started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name: fileName, bytes: blob.size };
}

export interface Download {
  /** The path being downloaded, while it is. */
  busy: string | undefined;
  done: Saved | undefined;
  problem: Problem | undefined;
  start(path: string): Promise<void>;
}

export function useDownload(): Download {
  const { api } = useAdmin();
  const [busy, setBusy] = useState<string>();
  const [done, setDone] = useState<Saved>();
  const [problem, setProblem] = useState<Problem>();
  const start = async (path: string) => {
    setBusy(path);
    setProblem(undefined);
    setDone(undefined);
    try {
      setDone(await saveDownload(api, path));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, done, problem, start };
}
