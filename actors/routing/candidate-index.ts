/**
 * A department's index of its members, kept up to date from the loads they
 * push and the offers and answers the department counts, so that a routing
 * decision examines only the members it needs (issue 15: 1,000 agents cost
 * about what 10 do):
 *
 * - round robin (ROUTE-2) walks a bit set of the members with a free slot
 *   (online, below capacity, below the fairness cap), in online order from
 *   just after the last assigned agent;
 * - least load (ROUTE-3) and the load index (ROUTE-10) take the best of a
 *   heap of those members by their ranking (ranked-heap.ts);
 * - the record's counts by skip reason come from groups (reason-groups.ts).
 *
 * A conversation's own filters (agents already tried, required skills, tier
 * and the VIP rule) are applied to each member the walk or the heap
 * yields, with the screen's own `reasonOf`, so the winner is the one the
 * screen and the policy would pick from the whole department. A filter few
 * members pass makes the walk longer: with required skills only a handful
 * hold, it is a scan of the free members (never of the others).
 */
import { hasFreeSlot, loadRatio, type Candidate, type Needs } from './decision.js';
import { atCap } from './eligibility.js';
import { loadIndex, type LoadIndexWeights } from './load-index.js';
import { RankedHeap } from './ranked-heap.js';
import { ReasonGroups } from './reason-groups.js';

export class CandidateIndex {
  /** The members in online order the index was built from; undefined: rebuild at the next use. */
  private ordered: readonly Candidate[] | undefined;
  private cap: number | undefined;
  private readonly pos = new Map<string, number>();
  /** Bit p set: ordered[p] has a free slot (round robin's walk). */
  private free = new Uint32Array(0);
  private readonly groups = new ReasonGroups();
  /** Built at the first decision of each policy, then kept up to date. */
  private leastLoadHeap: RankedHeap | undefined;
  private smartHeap: { heap: RankedHeap; weights: LoadIndexWeights } | undefined;

  /** Many members changed at once (a fairness window turned): rebuild at the next use. */
  invalidate(): void {
    this.ordered = undefined;
  }

  /** `c`'s figures changed in place (a load, an offer, an answer). */
  update(c: Candidate): void {
    const ordered = this.ordered;
    if (!ordered) return;
    const p = this.pos.get(c.agentId);
    // A member the index does not hold as this object: the department's view moved on, rebuild.
    if (p === undefined || ordered[p] !== c) return this.invalidate();
    this.file(c, p);
  }

  /**
   * Brings the index to `ordered`, the department's members in online order
   * (a new array whenever someone's place in it changed), under fairness cap
   * `cap` (ROUTE-19).
   */
  sync(ordered: readonly Candidate[], cap: number | undefined): void {
    if (ordered === this.ordered && cap === this.cap) return;
    this.ordered = ordered;
    this.cap = cap;
    this.pos.clear();
    this.free = new Uint32Array((ordered.length + 31) >>> 5);
    this.groups.clear();
    this.leastLoadHeap?.clear();
    this.smartHeap?.heap.clear();
    ordered.forEach((c, p) => {
      this.pos.set(c.agentId, p);
      this.file(c, p);
    });
  }

  vipTop(needs: Needs, tried: ReadonlySet<string>): boolean {
    return this.groups.vipTop(needs, tried);
  }

  counts(needs: Needs, tried: ReadonlySet<string>, vipTop: boolean): Map<string, number> {
    return this.groups.counts(needs, tried, vipTop);
  }

  /** ROUTE-2: the first member after `lastAssigned` in online order, wrapping, with a free slot and `accepts`. */
  roundRobin(lastAssigned: string | undefined, accepts: (c: Candidate) => boolean): Candidate | undefined {
    const ordered = this.live();
    const n = ordered.length;
    if (n === 0) return undefined;
    // As the linear walk: after where the last assigned agent stands, or from the first if unknown.
    const start = lastAssigned === undefined ? 0 : ((this.pos.get(lastAssigned) ?? -1) + 1) % n;
    for (let p = this.nextFree(start, n); p < n; p = this.nextFree(p + 1, n))
      if (accepts(ordered[p]!)) return ordered[p];
    for (let p = this.nextFree(0, start); p < start; p = this.nextFree(p + 1, start))
      if (accepts(ordered[p]!)) return ordered[p];
    return undefined;
  }

  /** ROUTE-3: the lowest load ratio that `accepts`; ties to the longest since last assignment, then online order. */
  leastLoad(accepts: (c: Candidate) => boolean): Candidate | undefined {
    if (!this.leastLoadHeap) this.leastLoadHeap = this.fill(new RankedHeap(loadRatio));
    return this.leastLoadHeap.best(accepts);
  }

  /** ROUTE-10: the lowest load index under `weights` that `accepts`; ties as least load. */
  smart(weights: LoadIndexWeights, accepts: (c: Candidate) => boolean): Candidate | undefined {
    const kept = this.smartHeap;
    if (!kept || !sameWeights(kept.weights, weights)) {
      const w = { ...weights };
      this.smartHeap = { heap: this.fill(new RankedHeap((c) => loadIndex(c, w))), weights: w };
    }
    return this.smartHeap!.heap.best(accepts);
  }

  private live(): readonly Candidate[] {
    if (!this.ordered) throw new Error('candidate index used before sync');
    return this.ordered;
  }

  private fill(heap: RankedHeap): RankedHeap {
    this.live().forEach((c, p) => {
      heap.put(c, p, this.hasSlot(c));
    });
    return heap;
  }

  private hasSlot(c: Candidate): boolean {
    return hasFreeSlot(c) && !atCap(c, this.cap);
  }

  private file(c: Candidate, p: number): void {
    const slot = this.hasSlot(c);
    if (slot) this.free[p >>> 5]! |= 1 << (p & 31);
    else this.free[p >>> 5]! &= ~(1 << (p & 31));
    this.groups.put(c, this.cap);
    this.leastLoadHeap?.put(c, p, slot);
    this.smartHeap?.heap.put(c, p, slot);
  }

  /** The first position in [from, end) whose bit is set, or `end`. */
  private nextFree(from: number, end: number): number {
    if (from >= end) return end;
    let w = from >>> 5;
    let word = this.free[w]! & (-1 << (from & 31));
    for (;;) {
      if (word !== 0) {
        const p = (w << 5) + 31 - Math.clz32(word & -word);
        return Math.min(p, end);
      }
      w++;
      if (w << 5 >= end) return end;
      word = this.free[w]!;
    }
  }
}

function sameWeights(a: LoadIndexWeights, b: LoadIndexWeights): boolean {
  return (Object.keys(a) as (keyof LoadIndexWeights)[]).every((k) => a[k] === b[k]);
}
