/**
 * CLUSTER-3: before a node serves a workspace whose lease it has just
 * taken, its local LMDB view must hold exactly what the replicated journal
 * holds. Three cases:
 * - the view has applied the subject up to some sequence (it owned the
 *   workspace before): it applies the batches after that;
 * - the view has never been filled from this stream, and the subject has
 *   batches: the view is emptied and rebuilt from all of them;
 * - the subject has no finished upload yet: the workspace's first owner uploads what
 *   its view holds (a store that served it alone, or one `workspace create`
 *   filled), so a single-node store moves into a cluster unchanged.
 * A view that says it applied more than the subject holds belongs to
 * another stream (a NATS cluster made anew): it is rebuilt too, or uploaded
 * when the subject is empty.
 */
import { Packr } from 'msgpackr';
import type { JournalWrite } from '../../actors/journal.js';
import type { LmdbStore } from '../store/lmdb-store.js';
import type { JournalBatch, JournalStream, JournalWriter } from './journal-stream.js';
import { APPLIED_KEY, toBatch, writesOf } from './replicated-journal.js';
import { ClusterError } from './cluster-error.js';

/** The record the last batch of a workspace's first upload carries: the subject then holds the whole store. */
export const UPLOADED_KEY: readonly string[] = ['_cluster', 'uploaded'];

const sizer = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

export interface CatchUp {
  /** How the view was brought level: batches applied after its mark, rebuilt from the stream, or uploaded to it. */
  mode: 'tail' | 'rebuilt' | 'uploaded';
  batches: number;
  /** The stream sequence the view holds now. */
  seq: number;
}

/** Brings `workspace`'s local view level with its subject, through `writer` (the claim this node just made). */
export async function catchUp(
  stream: JournalStream,
  writer: JournalWriter,
  store: LmdbStore,
  workspace: string,
): Promise<CatchUp> {
  const view = store.workspace(workspace);
  const mark = view.getRecord<number>(APPLIED_KEY);
  if (mark !== undefined && mark < writer.claimSeq) {
    const tail = await stream.batches(workspace, mark);
    await apply(store, workspace, tail);
    return { mode: 'tail', batches: tail.length, seq: tail.at(-1)?.seq ?? mark };
  }
  const all = await stream.batches(workspace, 0);
  // A subject whose first upload never finished (a crash, a lost lease) holds part of a store: the store it
  // came from uploads again (its puts repeat the part), and a store without the data must not serve it.
  if (!all.some(({ batch }) => batch.records.some((r) => sameKey(r.key, UPLOADED_KEY)))) {
    if (all.length && view.contents()[Symbol.iterator]().next().done)
      throw new ClusterError(
        'unavailable',
        `the first upload of workspace ${workspace} to the journal did not finish: start the node whose store holds it`,
      );
    return upload(writer, store, workspace);
  }
  store.clearWorkspace(workspace);
  await apply(store, workspace, all);
  return { mode: 'rebuilt', batches: all.length, seq: all.at(-1)!.seq };
}

async function apply(
  store: LmdbStore,
  workspace: string,
  entries: readonly { seq: number; batch: JournalBatch }[],
): Promise<void> {
  const view = store.workspace(workspace);
  try {
    // Issued a thousand at a time, so they commit together instead of paying a disk flush each.
    for (let i = 0; i < entries.length; i += 1000)
      await Promise.all(
        entries
          .slice(i, i + 1000)
          .map(({ seq, batch }) =>
            view.writeBatch([...writesOf(batch), { kind: 'record', write: { key: APPLIED_KEY, value: seq } }]),
          ),
      );
  } catch (err) {
    // A later batch of the chunk may have committed past the refused one: the mark cannot be trusted.
    await forgetMark(store, workspace);
    throw err;
  }
}

/** The view no longer says which sequence it holds, so its next catch-up rebuilds it from the stream. */
export async function forgetMark(store: LmdbStore, workspace: string): Promise<void> {
  await store
    .workspace(workspace)
    .writeRecords([{ key: APPLIED_KEY, value: undefined }])
    .catch(() => undefined);
}

/** The view's whole content as the subject's first batches, each well under the servers' message limit. */
async function upload(writer: JournalWriter, store: LmdbStore, workspace: string): Promise<CatchUp> {
  const view = store.workspace(workspace);
  const limit = Math.floor(writer.maxPayload / 2);
  let part: JournalWrite[] = [];
  let bytes = 0;
  let batches = 0;
  let seq = writer.claimSeq;
  const send = async (): Promise<void> => {
    if (!part.length) return;
    seq = await writer.append(toBatch(part));
    batches++;
    part = [];
    bytes = 0;
  };
  const writes: { w: JournalWrite; size: number }[] = [];
  for (const w of view.contents()) {
    if (w.kind === 'record' && (sameKey(w.write.key, APPLIED_KEY) || sameKey(w.write.key, UPLOADED_KEY))) continue;
    const size = sizer.pack(w).byteLength;
    // Checked before anything is sent: a subject must not hold a part of a store that cannot go whole.
    if (size > limit)
      throw new ClusterError(
        'too_large',
        `workspace ${workspace} holds a value of ${size} bytes, more than half the NATS servers' max_payload (${writer.maxPayload}): raise max_payload to move it into the cluster`,
      );
    writes.push({ w, size });
  }
  for (const { w, size } of writes) {
    if (bytes + size > limit) await send();
    part.push(w);
    bytes += size;
  }
  // The last batch says the upload is whole (UPLOADED_KEY): a subject without it is an unfinished upload.
  part.push({ kind: 'record', write: { key: UPLOADED_KEY, value: true } });
  await send();
  await view.writeRecords([{ key: APPLIED_KEY, value: seq }]);
  return { mode: 'uploaded', batches, seq };
}

function sameKey(key: readonly (string | number)[], other: readonly (string | number)[]): boolean {
  return key.length === other.length && key.every((k, i) => k === other[i]);
}
