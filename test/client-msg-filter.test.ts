/** OPS-2: the Bloom filter in front of the exact duplicate check (actors/conversation/client-msg-filter.ts). */
import t from 'tap';
import { ClientMsgFilter, FIRST_LAYER_FP } from '../actors/conversation/client-msg-filter.js';

const key = (i: number) => `visitor:v-${i % 97}:m.${i}.${1_733_000_000_000_000 + i * 37}`;

t.test('OPS-2: every id added is found, however far the filter grew past its first size', async (t) => {
  const filter = new ClientMsgFilter();
  const n = 20_000;
  for (let i = 0; i < n; i++) filter.add(key(i));
  t.equal(filter.count, n);
  let missed = 0;
  for (let i = 0; i < n; i++) if (!filter.mightHave(key(i))) missed++;
  t.equal(missed, 0, 'no false negative: no duplicate passes');
});

t.test('OPS-2: the false-positive rate stays within its bound (twice the first layer rate)', async (t) => {
  for (const n of [500, 1024, 5000, 40_000]) {
    const filter = new ClientMsgFilter();
    for (let i = 0; i < n; i++) filter.add(key(i));
    const probes = 100_000;
    let positives = 0;
    for (let i = 0; i < probes; i++) if (filter.mightHave(`staff:a-${i}:other.${i}`)) positives++;
    const rate = positives / probes;
    t.ok(
      rate <= 2 * FIRST_LAYER_FP,
      `${n} ids: false positives ${(rate * 100).toFixed(3)} % ≤ ${2 * FIRST_LAYER_FP * 100} %`,
    );
  }
  const empty = new ClientMsgFilter();
  t.notOk(empty.mightHave(key(1)), 'an empty filter answers no');
});

t.test('OPS-2: sized for the ids a conversation loads with, it adds no layer for them', async (t) => {
  const loaded = new ClientMsgFilter(50_000);
  for (let i = 0; i < 50_000; i++) loaded.add(key(i));
  let positives = 0;
  for (let i = 0; i < 50_000; i++) if (loaded.mightHave(`other-${i}`)) positives++;
  t.ok(positives / 50_000 <= FIRST_LAYER_FP * 1.5, `one layer at its own rate: ${positives} of 50000`);
});
