/**
 * The widget's root: the bubble always, the chat panel once opened. The
 * panel's code loads on the first open (WEB-1: little JavaScript before the
 * chat opens).
 */
import type { ComponentType } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { Bubble } from './bubble.js';
import type { Chat } from './chat.js';
import type { PanelProps } from './panel.js';
import type { StringKey } from './strings.js';
import { unreadCount } from './transcript.js';
import { useChat } from './use-chat.js';
import type { ViewState } from './view-state.js';

export function Widget(props: { chat: Chat; view: ViewState; t: Translate<StringKey> }) {
  const chat = useChat(props.chat);
  const { view, t } = props;
  const [open, setOpen] = useState(view.open);
  const [Panel, setPanel] = useState<ComponentType<PanelProps> | null>(null);
  const bubble = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => view.subscribe(setOpen), [view]);
  // WEB-7: closing the panel (Esc, the close button) gives the focus back to the
  // bubble in the same commit that removes the panel, so the focus never rests on the page.
  useLayoutEffect(() => {
    if (wasOpen.current && !open) bubble.current?.focus();
    wasOpen.current = open;
  }, [open]);
  useEffect(() => {
    if (!open) return;
    chat.connect();
    if (!Panel) void import('./panel.js').then((m) => setPanel(() => m.Panel));
  }, [open]);
  return (
    <div class="root">
      {open && Panel ? <Panel chat={chat} t={t} onClose={() => view.set(false)} /> : null}
      <Bubble buttonRef={bubble} open={open} unread={unreadCount(chat.state)} t={t} onToggle={() => view.set(!open)} />
    </div>
  );
}
