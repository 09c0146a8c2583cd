/**
 * ROUTE-7 keyword rules: ordered rules `keywords → department / required
 * skills / tier / priority`. All keywords of all rules are compiled into one
 * Aho–Corasick automaton, so matching a message costs one pass over its text
 * however many rules there are; the automaton is rebuilt only when the rules
 * change. Matching needs no word boundaries, so Chinese text without spaces
 * matches ("我要退款" contains "退款").
 *
 * Conflicts: rule order decides, attribute by attribute — the department
 * comes from the first matching rule that names one, the skills from the
 * first that names skills, and so on. Every matching rule is reported, to be
 * recorded on the conversation.
 */
import AhoCorasick from 'modern-ahocorasick';
import { normalizeForMatch } from './normalize.js';

export interface KeywordRule {
  id: string;
  keywords: readonly string[];
  department?: string;
  skills?: readonly string[];
  /** 2 = needs a specialist. */
  tier?: 1 | 2;
  /** Queue priority boost (QUEUE-2). */
  priority?: number;
  /** Also match later customer messages, not only the first (ROUTE-7). */
  laterMessages?: boolean;
}

export interface RuleMatch {
  ruleId: string;
  /** The rule's keywords found in the text, as the rule wrote them. */
  keywords: string[];
}

export interface KeywordOutcome {
  matches: RuleMatch[];
  department?: string;
  skills?: readonly string[];
  tier?: 1 | 2;
  priority?: number;
}

interface PatternData {
  rule: number;
  keyword: string;
}

export class KeywordMatcher {
  private readonly automaton: AhoCorasick<PatternData> | undefined;

  constructor(readonly rules: readonly KeywordRule[]) {
    const patterns = rules.flatMap((rule, index) =>
      rule.keywords
        .map((keyword) => ({ pattern: normalizeForMatch(keyword), data: { rule: index, keyword } }))
        .filter((p) => p.pattern.length > 0),
    );
    this.automaton = patterns.length > 0 ? new AhoCorasick<PatternData>(patterns) : undefined;
  }

  /** Matches `text`; `first` says whether it is the conversation's first customer message. */
  match(text: string, first: boolean): KeywordOutcome {
    const outcome: KeywordOutcome = { matches: [] };
    if (!this.automaton) return outcome;
    const found = new Map<number, Set<string>>();
    for (const m of this.automaton.iterate(normalizeForMatch(text))) {
      const { rule, keyword } = m.data!;
      if (!first && !this.rules[rule]!.laterMessages) continue;
      let set = found.get(rule);
      if (!set) found.set(rule, (set = new Set()));
      set.add(keyword);
    }
    for (const index of [...found.keys()].sort((a, b) => a - b)) {
      const rule = this.rules[index]!;
      outcome.matches.push({ ruleId: rule.id, keywords: [...found.get(index)!] });
      if (outcome.department === undefined && rule.department !== undefined) outcome.department = rule.department;
      if (outcome.skills === undefined && rule.skills !== undefined) outcome.skills = rule.skills;
      if (outcome.tier === undefined && rule.tier !== undefined) outcome.tier = rule.tier;
      if (outcome.priority === undefined && rule.priority !== undefined) outcome.priority = rule.priority;
    }
    return outcome;
  }
}
