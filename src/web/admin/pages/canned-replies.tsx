/** Canned replies, workspace scope (CONV-3, WEB-5): the list page by page, a new one, edit and delete. */
import { useState } from 'preact/hooks';
import type { Canned } from '../api-types.js';
import { useAdmin } from '../context.js';
import { Field, FormProblem, splitList, useLoad, NotLoaded } from '../form.js';
import { useSubmit } from '../use-submit.js';
import { SaveRow } from './save-button.js';

export function CannedRepliesPage() {
  const { api, t } = useAdmin();
  const [pages, setPages] = useState<string[]>([]);
  const after = pages[pages.length - 1];
  const loaded = useLoad(
    () =>
      api.get<{ replies: Canned[]; next?: string }>(
        `/canned-replies?limit=20${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      ),
    [after],
  );
  const [editing, setEditing] = useState<Canned | 'new'>('new');
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  const { replies, next } = loaded.data;
  return (
    <div class="adm-columns">
      <section class="adm-card" aria-labelledby="canned-list">
        <h2 id="canned-list">{t('cannedList')}</h2>
        {replies.length === 0 && <p class="placeholder">{t('cannedNone')}</p>}
        <ul class="adm-list" data-testid="canned-list">
          {replies.map((r) => (
            <li key={r.id}>
              <button type="button" class="link" onClick={() => setEditing(r)}>
                {r.title}
              </button>{' '}
              {r.shortcut && <code>/{r.shortcut}</code>}
              <br />
              <small class="adm-muted">{r.text.slice(0, 80)}</small>
            </li>
          ))}
        </ul>
        <div class="adm-actions">
          <button type="button" disabled={pages.length === 0} onClick={() => setPages(pages.slice(0, -1))}>
            {t('pagePrev')}
          </button>
          <button type="button" disabled={!next} onClick={() => next && setPages([...pages, next])}>
            {t('pageNext')}
          </button>
          <button type="button" onClick={() => setEditing('new')}>
            {t('cannedNew')}
          </button>
        </div>
      </section>
      <CannedForm
        key={editing === 'new' ? 'new' : editing.id}
        reply={editing === 'new' ? undefined : editing}
        onDone={() => (setEditing('new'), loaded.reload())}
      />
    </div>
  );
}

function CannedForm({ reply, onDone }: { reply: Canned | undefined; onDone(): void }) {
  const { api, t } = useAdmin();
  const [f, setF] = useState({
    title: reply?.title ?? '',
    text: reply?.text ?? '',
    shortcut: reply?.shortcut ?? '',
    tags: (reply?.tags ?? []).join(', '),
  });
  const set = (k: keyof typeof f) => (e: Event) => (
    setSaved(false), setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  );
  const { problem, saved, setSaved, form, submit, run } = useSubmit(async () => {
    const tags = splitList(f.tags);
    const body = {
      title: f.title,
      text: f.text,
      ...(f.shortcut.trim() ? { shortcut: f.shortcut.trim() } : {}),
      ...(tags.length ? { tags } : {}),
    };
    if (reply) await api.put(`/canned-replies/${encodeURIComponent(reply.id)}`, body);
    else await api.post('/canned-replies', body);
    onDone();
  });
  const remove = () =>
    run(async () => {
      if (!reply) return;
      await api.delete(`/canned-replies/${encodeURIComponent(reply.id)}`);
      onDone();
    });
  return (
    <form
      ref={form}
      class="adm-card adm-form"
      onSubmit={submit}
      data-testid="canned-form"
      aria-labelledby="canned-form-title"
    >
      <h2 id="canned-form-title">{reply ? reply.title : t('cannedNew')}</h2>
      <Field label={t('cannedTitle')} name="title" problem={problem}>
        <input name="title" value={f.title} onInput={set('title')} required />
      </Field>
      <Field label={t('cannedText')} name="text" problem={problem} wide>
        <textarea name="text" rows={5} value={f.text} onInput={set('text')} required />
      </Field>
      <Field label={t('cannedShortcut')} name="shortcut" problem={problem} hint={t('cannedShortcutHint')}>
        <input name="shortcut" value={f.shortcut} onInput={set('shortcut')} />
      </Field>
      <Field label={t('navTags')} name="tags" problem={problem} hint={t('listHint')}>
        <input name="tags" value={f.tags} onInput={set('tags')} />
      </Field>
      <FormProblem problem={problem} fields={['title', 'text', 'shortcut', 'tags']} />
      <SaveRow saved={saved} label={reply ? t('save') : t('create')} />
      {reply && (
        <button type="button" class="danger" onClick={() => void remove()}>
          {t('remove')}
        </button>
      )}
    </form>
  );
}
