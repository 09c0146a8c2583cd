/**
 * The chat pane's input: a reply to the customer, or (Alt+N) an internal
 * note for staff only (SUP-5). Enter sends, Shift+Enter is a new line, `/`
 * at the start opens the canned replies (CONV-3), the clip button sends a
 * file or image (CONV-1). Typing is told to the customer (CONV-2).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { UPLOAD_TYPES } from '../../shared/upload.js';
import { CannedPicker, matchCanned } from './canned-picker.js';
import type { Conversation } from './conversation.js';
import type { DeskModel } from './desk-model.js';
import type { CannedReply } from './desk-types.js';

const drafts = new Map<string, string>();

export function Composer(props: {
  model: DeskModel;
  conv: Conversation;
  noteMode: boolean;
  setNoteMode(v: boolean): void;
}) {
  const { model, conv, noteMode } = props;
  const t = model.session.t;
  const [text, setText] = useState(drafts.get(conv.id) ?? '');
  const [active, setActive] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setText(drafts.get(conv.id) ?? '');
    area.current?.focus();
  }, [conv.id]);
  useEffect(() => area.current?.focus(), [noteMode]);
  const canWrite = conv.mine && conv.status !== 'resolved';
  const picking = !noteMode && /^\/\S*$/.test(text);
  const items = picking ? matchCanned(model.canned, text.slice(1)) : [];

  const update = (v: string) => {
    setText(v);
    drafts.set(conv.id, v);
    setActive(0);
    if (!noteMode) model.typing(conv.id, v);
  };
  const fill = (r: CannedReply) => {
    const customer = model.customers.get(conv.id)?.customer.name;
    const v = r.text
      .replaceAll('{agent.name}', model.session.staff.name)
      .replaceAll('{department.name}', conv.department ?? '')
      .replaceAll('{customer.name}', customer || '{customer.name}');
    update(v);
  };
  const submit = async () => {
    const v = text.trim();
    if (!v) return;
    if (noteMode) {
      if (await model.note(conv.id, v)) update('');
      return;
    }
    model.send(conv.id, v);
    update('');
  };
  const onKey = (e: KeyboardEvent) => {
    if (picking && items.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        fill(items[active] ?? items[0]!);
        return;
      }
    }
    if (picking && e.key === 'Escape') {
      e.preventDefault();
      update('');
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    }
  };
  if (!canWrite && !noteMode)
    return (
      <div class="desk-composer readonly">
        <p class="desk-muted">{conv.status === 'resolved' ? t('resolvedReadonly') : t('notYours')}</p>
        <button type="button" onClick={() => props.setNoteMode(true)}>
          {t('writeNote')}
        </button>
      </div>
    );
  return (
    <div class={`desk-composer ${noteMode ? 'note' : ''}`}>
      {picking && <CannedPicker items={items} active={active} onPick={fill} empty={t('noCanned')} />}
      <fieldset class="desk-mode">
        <legend class="sr-only">{t('composeMode')}</legend>
        <button type="button" aria-pressed={!noteMode} disabled={!canWrite} onClick={() => props.setNoteMode(false)}>
          {t('modeReply')}
        </button>
        <button type="button" aria-pressed={noteMode} data-testid="note-mode" onClick={() => props.setNoteMode(true)}>
          {t('modeNote')}
        </button>
      </fieldset>
      <textarea
        ref={area}
        data-testid="composer"
        aria-label={noteMode ? t('notePlaceholder') : t('replyPlaceholder')}
        placeholder={noteMode ? t('notePlaceholder') : t('replyPlaceholder')}
        rows={3}
        value={text}
        onInput={(e) => update((e.target as HTMLTextAreaElement).value)}
        onKeyDown={onKey}
      />
      <div class="row">
        {!noteMode && (
          <>
            <input
              ref={fileInput}
              type="file"
              class="sr-only"
              data-testid="file-input"
              accept={UPLOAD_TYPES.join(',')}
              tabIndex={-1}
              onChange={(e) => {
                const f = (e.target as HTMLInputElement).files?.[0];
                if (f) void model.sendFile(conv.id, f);
                (e.target as HTMLInputElement).value = '';
              }}
            />
            <button type="button" onClick={() => fileInput.current?.click()}>
              {t('attach')}
            </button>
          </>
        )}
        <span class="grow" />
        <button type="button" class="primary" data-testid="send" onClick={() => void submit()}>
          {noteMode ? t('addNote') : t('send')}
        </button>
      </div>
    </div>
  );
}
