/**
 * CONV-3: canned replies on `/`: typing `/ref` lists the replies whose
 * shortcut or title starts with (or, failing that, contains) `ref`, ignoring
 * case and full-/half-width; ↑/↓ choose, Enter or Tab insert, Escape closes.
 * A personal reply comes before a workspace one of the same shortcut.
 */
import type { CannedReply } from './desk-types.js';

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

export function matchCanned(replies: readonly CannedReply[], query: string): CannedReply[] {
  const q = fold(query);
  const starts = (r: CannedReply) => fold(r.shortcut ?? '').startsWith(q) || fold(r.title).startsWith(q);
  const contains = (r: CannedReply) => fold(`${r.shortcut ?? ''} ${r.title} ${r.text}`).includes(q);
  const byScope = (a: CannedReply, b: CannedReply) => (a.scope === b.scope ? 0 : a.scope === 'personal' ? -1 : 1);
  const first = replies.filter(starts).sort(byScope);
  const rest = replies.filter((r) => !starts(r) && contains(r)).sort(byScope);
  return [...first, ...rest].slice(0, 8);
}

export function CannedPicker(props: {
  items: CannedReply[];
  active: number;
  onPick(r: CannedReply): void;
  empty: string;
}) {
  return (
    <ul class="desk-canned" data-testid="canned">
      {props.items.length === 0 && <li class="desk-empty">{props.empty}</li>}
      {props.items.map((r, i) => (
        <li key={r.id}>
          <button
            type="button"
            tabIndex={-1}
            aria-current={i === props.active}
            onMouseDown={(e) => {
              e.preventDefault();
              props.onPick(r);
            }}
          >
            {r.shortcut && <code>/{r.shortcut}</code>} <strong>{r.title}</strong>{' '}
            <span class="desk-muted">{r.text}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
