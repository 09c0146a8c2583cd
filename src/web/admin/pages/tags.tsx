/** Tags (XFER-2, WEB-5): the workspace's list of tags a transfer may carry, one per line. */
import { useEffect, useState } from 'preact/hooks';
import { useAdmin } from '../context.js';
import { Field, FormProblem, splitList, useFocusInvalid, NotLoaded } from '../form.js';
import { SaveRow } from './save-button.js';
import { useWorkspace } from './workspace-form.js';

export function TagsPage() {
  const { t } = useAdmin();
  const ws = useWorkspace();
  const [text, setText] = useState('');
  const form = useFocusInvalid(ws.problem);
  useEffect(() => setText((ws.data?.tags ?? []).join('\n')), [ws.data]);
  if (!ws.data) return <NotLoaded loaded={ws} />;
  const submit = (e: Event) => {
    e.preventDefault();
    const tags = splitList(text);
    void ws.save({ tags: tags.length ? tags : null });
  };
  return (
    <form ref={form} class="adm-card adm-form" onSubmit={submit} data-testid="tags-form">
      <p class="adm-muted">{t('tagsIntro')}</p>
      <Field label={t('navTags')} name="tags" problem={ws.problem} hint={t('linesHint')} wide>
        <textarea
          name="tags"
          rows={10}
          value={text}
          onInput={(e) => (ws.touch(), setText((e.target as HTMLTextAreaElement).value))}
        />
      </Field>
      <FormProblem problem={ws.problem} fields={['tags']} />
      <SaveRow saved={ws.saved} />
    </form>
  );
}
