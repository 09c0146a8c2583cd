/**
 * How a simulated customer's needs reach the real routing: one keyword rule per distinct need (ROUTE-7),
 * whose token the customer's first message carries, so the workspace's own keyword matching settles them.
 */
import type { KeywordRule } from '../../actors/routing/keyword-rules.js';
import type { NeedsSpec } from './scenario.js';
import type { SimCustomer } from './customers.js';

export interface NeedsRules {
  rules: KeywordRule[];
  /** The token a first message carries for these needs; undefined: plain needs, no rule. */
  tokenOf: (n: NeedsSpec | undefined) => string | undefined;
}

/** The keyword rules that carry each distinct need of the scenario's customers into the real keyword routing. */
export function needsRules(customers: readonly SimCustomer[]): NeedsRules {
  const keyOf = (n: NeedsSpec): string | undefined => {
    const skills = [...(n.skills ?? [])].sort();
    if (skills.length === 0 && (n.tier ?? 1) === 1 && (n.priority ?? 0) === 0) return undefined;
    return JSON.stringify([skills, n.tier ?? 1, n.priority ?? 0]);
  };
  const tokens = new Map<string, string>();
  const rules: KeywordRule[] = [];
  for (const c of customers) {
    const key = c.needs ? keyOf(c.needs) : undefined;
    if (key === undefined || tokens.has(key)) continue;
    const token = `zzsimneeds${tokens.size}zz`;
    tokens.set(key, token);
    const n = c.needs!;
    rules.push({
      id: `sim-needs-${tokens.size}`,
      keywords: [token],
      ...(n.skills?.length ? { skills: n.skills } : {}),
      ...(n.tier === 2 ? { tier: 2 as const } : {}),
      ...(n.priority ? { priority: n.priority } : {}),
    });
  }
  return { rules, tokenOf: (n) => (n ? tokens.get(keyOf(n) ?? '') : undefined) };
}
