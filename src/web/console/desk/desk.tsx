/**
 * The agent desk (WEB-3): status and lists on the left, the selected
 * conversation in the middle, its customer on the right; dialogs for
 * transfer, resolve and the shortcuts; offers and notices on top.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleSession } from '../session.js';
import { ChatPane } from './chat-pane.js';
import { ConversationLists } from './conversation-lists.js';
import { CustomerPanel } from './customer-panel.js';
import { DeskModel } from './desk-model.js';
import { OfferCard } from './offer-card.js';
import { ResolveDialog } from './resolve-dialog.js';
import { type DeskAction, inTextField, shortcuts } from './shortcuts.js';
import { ShortcutsHelp } from './shortcuts-help.js';
import { StatusSwitch } from './status-switch.js';
import { TransferDialog } from './transfer-dialog.js';
import { useModel } from './use-model.js';

type Open = 'transfer' | 'resolve' | 'help' | undefined;

export function Desk({ session }: { session: ConsoleSession }) {
  const model = useMemo(() => new DeskModel(session), [session]);
  useEffect(() => () => model.dispose(), [model]);
  useModel(model);
  const [dialog, setDialog] = useState<Open>();
  const [noteMode, setNoteMode] = useState(false);
  const t = session.t;
  const conv = model.selected ? model.conversations.get(model.selected) : undefined;

  useEffect(() => {
    const run = (a: DeskAction) => {
      const list = model.mine.map((c) => c.id);
      const i = model.selected ? list.indexOf(model.selected) : -1;
      switch (a) {
        case 'help':
          return setDialog('help');
        case 'next':
        case 'previous': {
          if (!list.length) return;
          const j = a === 'next' ? (i + 1) % list.length : (i - 1 + list.length) % list.length;
          return model.select(list[j]);
        }
        case 'compose':
          setNoteMode(false);
          return document.querySelector<HTMLElement>('[data-testid=composer]')?.focus();
        case 'note':
          return setNoteMode((v) => !v);
        case 'transfer':
        case 'resolve':
          if (model.selected && model.conversations.get(model.selected)?.mine) setDialog(a);
          return;
        case 'claim': {
          const w = model.queue[0];
          if (w) void model.claim(w.conversationId);
          return;
        }
        case 'accept': {
          const [offer] = model.offers.keys();
          if (offer) void model.accept(offer);
          return;
        }
        default:
          return void model.setStatus(a);
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('dialog[open]')) return;
      const s = shortcuts.find((x) => x.matches(e));
      if (!s || (s.action === 'help' && inTextField(e))) return;
      e.preventDefault();
      run(s.action);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [model]);

  const close = () => {
    setDialog(undefined);
    document.querySelector<HTMLElement>('[data-testid=composer]')?.focus();
  };
  return (
    <div class="desk" data-testid="desk" data-ready={model.ready}>
      <aside class="desk-side">
        <StatusSwitch model={model} />
        {[...model.offers.values()].map((o) => (
          <OfferCard key={o.conversationId} model={model} offer={o} />
        ))}
        <ConversationLists model={model} />
        <button type="button" class="link desk-help" onClick={() => setDialog('help')}>
          {t('shortcutsHint')}
        </button>
      </aside>
      {conv ? (
        <ChatPane
          model={model}
          conv={conv}
          noteMode={noteMode}
          setNoteMode={setNoteMode}
          onTransfer={() => setDialog('transfer')}
          onResolve={() => setDialog('resolve')}
        />
      ) : (
        <section class="desk-chat desk-none">
          <p class="placeholder">{model.ready ? t('pickOne') : t('connConnecting')}</p>
        </section>
      )}
      {conv && <CustomerPanel model={model} conversationId={conv.id} />}
      {model.notice && (
        <div class="desk-notice" role="alert" data-testid="notice">
          <span>{model.notice}</span>
          <button type="button" class="link" onClick={() => model.dismissNotice()}>
            {t('dismiss')}
          </button>
        </div>
      )}
      {dialog === 'transfer' && conv && <TransferDialog model={model} conversationId={conv.id} onClose={close} />}
      {dialog === 'resolve' && conv && <ResolveDialog model={model} conversationId={conv.id} onClose={close} />}
      {dialog === 'help' && <ShortcutsHelp model={model} onClose={close} />}
    </div>
  );
}
