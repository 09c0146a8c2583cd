/** The desk's keyboard shortcuts (WEB-3, WEB-7), listed on `?`: one table for the handler and the help. */
import type { ConsoleKey } from '../strings.js';

export type DeskAction =
  | 'help'
  | 'next'
  | 'previous'
  | 'transfer'
  | 'resolve'
  | 'note'
  | 'claim'
  | 'accept'
  | 'online'
  | 'busy'
  | 'away'
  | 'compose';

export interface Shortcut {
  action: DeskAction;
  /** As shown to people. */
  keys: string;
  label: ConsoleKey;
  matches(e: KeyboardEvent): boolean;
}

const alt = (key: string) => (e: KeyboardEvent) => e.altKey && !e.ctrlKey && !e.metaKey && e.code === key;

export const shortcuts: readonly Shortcut[] = [
  { action: 'help', keys: '?', label: 'scHelp', matches: (e) => e.key === '?' && !e.altKey && !e.ctrlKey },
  { action: 'next', keys: 'Alt+↓', label: 'scNext', matches: alt('ArrowDown') },
  { action: 'previous', keys: 'Alt+↑', label: 'scPrevious', matches: alt('ArrowUp') },
  { action: 'compose', keys: 'Alt+M', label: 'scCompose', matches: alt('KeyM') },
  { action: 'note', keys: 'Alt+N', label: 'scNote', matches: alt('KeyN') },
  { action: 'transfer', keys: 'Alt+T', label: 'scTransfer', matches: alt('KeyT') },
  { action: 'resolve', keys: 'Alt+R', label: 'scResolve', matches: alt('KeyR') },
  { action: 'claim', keys: 'Alt+C', label: 'scClaim', matches: alt('KeyC') },
  { action: 'accept', keys: 'Alt+A', label: 'scAccept', matches: alt('KeyA') },
  { action: 'online', keys: 'Alt+O', label: 'scOnline', matches: alt('KeyO') },
  { action: 'busy', keys: 'Alt+B', label: 'scBusy', matches: alt('KeyB') },
  { action: 'away', keys: 'Alt+W', label: 'scAway', matches: alt('KeyW') },
];

/** `?` means help only outside text fields, where it is a character. */
export function inTextField(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return (
    !!el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}
