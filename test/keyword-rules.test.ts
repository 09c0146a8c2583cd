/** ROUTE-7 keyword rules matched by one Aho–Corasick automaton after NFKC + case folding. */
import t from 'tap';
import fc from 'fast-check';
import { KeywordMatcher, type KeywordRule } from '../actors/routing/keyword-rules.js';
import { normalizeForMatch } from '../actors/routing/normalize.js';

const rules: KeywordRule[] = [
  {
    id: 'refund',
    keywords: ['退款', 'refund', 'money back'],
    department: 'after-sales',
    skills: ['refunds'],
    priority: 2,
  },
  { id: 'invoice', keywords: ['发票', 'invoice'], department: 'finance', skills: ['billing'], laterMessages: true },
  { id: 'price', keywords: ['价格', 'price', 'discount'], department: 'pre-sales' },
  { id: 'angry', keywords: ['投诉', 'complaint'], tier: 2, priority: 5, laterMessages: true },
];
const m = new KeywordMatcher(rules);

t.test('ROUTE-7: Chinese text without spaces matches ("我要退款" → after-sales)', async (t) => {
  const r = m.match('我要退款', true);
  t.same(r, {
    matches: [{ ruleId: 'refund', keywords: ['退款'] }],
    department: 'after-sales',
    skills: ['refunds'],
    priority: 2,
  });
});

t.test('ROUTE-7: case and full-width/half-width forms are ignored', async (t) => {
  t.equal(m.match('I want a REFUND now', true).department, 'after-sales');
  t.equal(m.match('ＲＥＦＵＮＤ please', true).department, 'after-sales', 'full-width Latin');
  t.equal(m.match('what is the Ｐｒｉｃｅ?', true).department, 'pre-sales');
  t.equal(normalizeForMatch('ﾃｽﾄ'), 'テスト', 'half-width katakana fold to full width');
  const kana = new KeywordMatcher([{ id: 'k', keywords: ['テスト'], department: 'qa' }]);
  t.equal(kana.match('ﾃｽﾄです', true).department, 'qa');
});

t.test('ROUTE-7: rule order decides conflicts attribute by attribute, and every match is reported', async (t) => {
  const r = m.match('退款的发票和价格，我要投诉', true);
  t.same(
    r.matches.map((x) => x.ruleId),
    ['refund', 'invoice', 'price', 'angry'],
    'all matching rules, in rule order',
  );
  t.equal(r.department, 'after-sales', 'the first rule naming a department wins');
  t.same(r.skills, ['refunds']);
  t.equal(r.tier, 2, 'a later rule fills an attribute no earlier rule set');
  t.equal(r.priority, 2);
});

t.test('ROUTE-7: later messages match only the rules that say so', async (t) => {
  const later = m.match('refund and invoice, this is a complaint', false);
  t.same(
    later.matches.map((x) => x.ruleId),
    ['invoice', 'angry'],
  );
  t.equal(later.department, 'finance');
  t.same(m.match('hello', true), { matches: [] }, 'no match: no outcome');
  t.same(new KeywordMatcher([]).match('退款', true), { matches: [] }, 'no rules');
  t.same(
    new KeywordMatcher([{ id: 'empty', keywords: ['', '  '.trim()] }]).match('x', true),
    { matches: [] },
    'empty keywords are ignored',
  );
});

t.test('ROUTE-7: hundreds of rules in one automaton agree with a naive scan', async (t) => {
  const many: KeywordRule[] = Array.from({ length: 500 }, (_, i) => ({
    id: `r${i}`,
    keywords: [`kw${i}x`, `词${i}语`],
    department: `d${i % 7}`,
  }));
  const big = new KeywordMatcher(many);
  // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 520 }), { maxLength: 6 }),
      fc.string({ maxLength: 20 }),
      (picks, noise) => {
        const text = picks.map((p) => (p % 2 ? `kw${p}x` : `词${p}语`)).join(noise);
        const want = many
          .map((r, i) => ({ r, i }))
          .filter(({ r }) => r.keywords.some((k) => normalizeForMatch(text).includes(normalizeForMatch(k))))
          .map(({ r }) => r.id);
        return JSON.stringify(big.match(text, true).matches.map((x) => x.ruleId)) === JSON.stringify(want);
      },
    ),
    { numRuns: 300 },
  );
  t.pass('500 rules, 1000 keywords: same answers as checking each keyword in turn');
});
