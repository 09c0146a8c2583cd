/** Re-renders a component whenever the chat changes. */
import { useEffect, useReducer } from 'preact/hooks';
import type { Chat } from './chat.js';

export function useChat(chat: Chat): Chat {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => chat.subscribe(() => bump(undefined)), [chat]);
  return chat;
}
