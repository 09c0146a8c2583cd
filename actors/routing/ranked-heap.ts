/**
 * A min-heap of available candidates by a policy's ranking (score, then
 * longest since last assignment, then place in online order), for least load
 * and the load index (ROUTE-3, ROUTE-10) to find their winner without looking
 * at every member. Entries are snapshots: a member whose figures change gets
 * a fresh entry and its old ones are dropped when they reach the top (their
 * stamp no longer matches). The heap is rebuilt when stale entries outnumber
 * live ones, so it stays within a small multiple of the department's size.
 */
import type { Candidate } from './decision.js';

interface Entry {
  c: Candidate;
  score: number;
  last: number;
  pos: number;
  stamp: number;
}

const before = (a: Entry, b: Entry): boolean =>
  a.score !== b.score ? a.score < b.score : a.last !== b.last ? a.last < b.last : a.pos < b.pos;

export class RankedHeap {
  private heap: Entry[] = [];
  /** The stamp of each member's live entry; absent: the member has none (not available). */
  private readonly live = new Map<string, number>();
  private nextStamp = 0;

  /** `score` is the policy's figure (lower wins); a member it scores NaN or +Infinity can never win and is left out. */
  constructor(private readonly score: (c: Candidate) => number) {}

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  /** Records the member's figures now: a fresh entry when available, none otherwise. */
  put(c: Candidate, pos: number, available: boolean): void {
    const score = available ? this.score(c) : Number.NaN;
    // The policies compare with `<` against a start of +Infinity: such a member is never chosen.
    if (!(score < Number.POSITIVE_INFINITY)) {
      this.live.delete(c.agentId);
      return;
    }
    const stamp = this.nextStamp++;
    this.live.set(c.agentId, stamp);
    this.push({ c, score, last: c.lastAssignedAt, pos, stamp });
    if (this.heap.length > 2 * this.live.size + 64) this.compact();
  }

  /**
   * The best-ranked live member that `accepts`, or undefined. The members
   * passed over on the way (their conversation needs something they lack)
   * are put back, so a decision examines only the members ranked above its
   * winner.
   */
  best(accepts: (c: Candidate) => boolean): Candidate | undefined {
    const held: Entry[] = [];
    let found: Entry | undefined;
    while (this.heap.length > 0) {
      const top = this.pop();
      if (this.live.get(top.c.agentId) !== top.stamp) continue;
      held.push(top);
      if (accepts(top.c)) {
        found = top;
        break;
      }
    }
    for (const e of held) this.push(e);
    return found?.c;
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => this.live.get(e.c.agentId) === e.stamp);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const m = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[m]!, e)) break;
      h[i] = h[m]!;
      i = m;
    }
    h[i] = e;
  }
}
