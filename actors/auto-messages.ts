/**
 * CONV-4: the automatic messages a customer gets, with zh-CN and en
 * defaults. A workspace may replace any text per language, or turn one off
 * with an empty text, or turn all of them off.
 */
import type { AutoMessageKey, Language } from '../protocol/frames.js';
import { AutoMessageKeys, Languages } from '../protocol/vocabulary.js';
import type { WorkspaceSettings } from './workspace/records.js';

// The one list of each (protocol/vocabulary.ts), typed as the frames' unions.
export const AUTO_MESSAGE_KEYS: readonly AutoMessageKey[] = AutoMessageKeys;
export const LANGUAGES: readonly Language[] = Languages;

/** `{position}` and `{agent}` are replaced where the message has them. */
export const DEFAULT_AUTO_MESSAGES: Readonly<Record<Language, Readonly<Record<AutoMessageKey, string>>>> = {
  en: {
    welcome: 'Hello! Thanks for contacting us. An agent will be with you shortly.',
    queued: 'All our agents are busy. You are number {position} in line; please stay with us.',
    transferring: 'Your conversation is being transferred to another agent, please wait.',
    agent_joined: '{agent} has joined the conversation.',
    offline: 'Our team is not available right now. Leave us a message and we will answer as soon as we are back.',
    resolved: 'This conversation has been marked as resolved. Write again any time if you need more help.',
    survey: 'How did we do? Please rate this conversation from 1 to 5.',
  },
  'zh-CN': {
    welcome: '您好！感谢您的咨询，客服人员马上为您服务。',
    queued: '当前客服繁忙，您前面还有 {position} 位，请稍候。',
    transferring: '正在为您转接其他客服，请稍候。',
    agent_joined: '{agent} 已加入会话。',
    offline: '客服暂时不在线，请留言，我们回来后会尽快回复您。',
    resolved: '本次会话已结束。如需更多帮助，欢迎随时再次留言。',
    survey: '请为本次服务评分（1 到 5 分）。',
  },
};

/** The text to send, or undefined when this message is turned off. */
export function autoMessageText(
  settings: WorkspaceSettings,
  language: Language | undefined,
  key: AutoMessageKey,
  vars: { position?: number; agent?: string } = {},
): string | undefined {
  const auto = settings.autoMessages;
  if (auto?.enabled === false) return undefined;
  const lang = language ?? settings.defaultLanguage ?? 'en';
  const text = auto?.texts?.[lang]?.[key] ?? DEFAULT_AUTO_MESSAGES[lang][key];
  if (text === '') return undefined;
  return text.replace(/\{position\}/g, String(vars.position ?? '')).replace(/\{agent\}/g, vars.agent ?? '');
}

/** A problem with new texts, or undefined. */
export function invalidAutoMessages(
  settings: WorkspaceSettings['autoMessages'],
): { field: string; message: string } | undefined {
  for (const [lang, texts] of Object.entries(settings?.texts ?? {})) {
    if (!(LANGUAGES as readonly string[]).includes(lang))
      return { field: `autoMessages.texts.${lang}`, message: `language is one of ${LANGUAGES.join(', ')}` };
    for (const [key, text] of Object.entries(texts ?? {})) {
      if (!(AUTO_MESSAGE_KEYS as readonly string[]).includes(key))
        return { field: `autoMessages.texts.${lang}.${key}`, message: 'no such automatic message' };
      if (typeof text !== 'string' || text.length > 2000)
        return { field: `autoMessages.texts.${lang}.${key}`, message: 'a text of at most 2000 characters' };
    }
  }
  return undefined;
}
