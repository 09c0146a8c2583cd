/**
 * WEB-2: the pre-chat form, a workspace setting: which fields the widget
 * asks before the chat starts, each required or optional. Pure checks of
 * the form an admin stores and of the details a visitor gives, and the
 * workspace's handler that stores the form.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { PreChatField, VisitorDetails } from '../../protocol/frames.js';
import { Keys } from '../keyspace.js';
import { publish, store, storedSettings, type Handlers } from './context.js';
import type { WorkspaceSettings } from './records.js';
import { withSettings } from './snapshot.js';

/** The fields with a profile slot of their own; any other key is a custom question. */
export const CONTACT_FIELDS = ['name', 'email'] as const;
export const MAX_PRE_CHAT_FIELDS = 10;

const isContact = (key: string): key is (typeof CONTACT_FIELDS)[number] =>
  (CONTACT_FIELDS as readonly string[]).includes(key);

/** A form that would show an unlabelled question or ask one thing twice. */
export function invalidPreChatForm(fields: readonly PreChatField[]): ProtocolError | undefined {
  if (fields.length > MAX_PRE_CHAT_FIELDS)
    return new ProtocolError('invalid_field', `at most ${MAX_PRE_CHAT_FIELDS} fields`, 'fields');
  const keys = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (keys.has(f.key)) return new ProtocolError('invalid_field', `field "${f.key}" twice`, `fields/${i}/key`);
    keys.add(f.key);
    if (!isContact(f.key) && !f.label?.en && !f.label?.['zh-CN'])
      return new ProtocolError('invalid_field', 'a custom question needs a label', `fields/${i}/label`);
  }
  return undefined;
}

/**
 * Details that do not fit the form: an answer to a question the form does
 * not ask, or (when a conversation starts) a required field left out.
 */
export function invalidDetails(
  fields: readonly PreChatField[],
  details: VisitorDetails | undefined,
  starting: boolean,
): ProtocolError | undefined {
  for (const key of Object.keys(details?.answers ?? {})) {
    if (isContact(key) || !fields.some((f) => f.key === key))
      return new ProtocolError('invalid_field', `the pre-chat form asks no "${key}"`, `details.answers.${key}`);
  }
  if (!starting) return undefined;
  for (const f of fields) {
    if (!f.required) continue;
    const given = isContact(f.key) ? details?.[f.key] : details?.answers?.[f.key];
    if (given === undefined || given.trim() === '')
      return new ProtocolError('invalid_field', `the pre-chat form requires "${f.key}"`, `details.${f.key}`);
  }
  return undefined;
}

export const preChatHandlers: Handlers<'setPreChatForm'> = {
  setPreChatForm: (cx, msg) => {
    const invalid = invalidPreChatForm(msg.fields);
    if (invalid) return msg.reply(invalid);
    const settings: WorkspaceSettings = { ...storedSettings(cx), preChatForm: msg.fields };
    if (msg.fields.length === 0) delete settings.preChatForm;
    store(cx, [{ key: Keys.settings, value: settings }], 'pre-chat form', msg.reply, () => {
      publish(cx, withSettings(cx.s.snapshot, settings));
      return settings;
    });
  },
};
