/**
 * The journal's conversation events: the frames with a conversation seq that
 * a resume replays. ONE list, imported by the server (which of them move the
 * department monitor) and by the browser apps (which frames a transcript
 * keeps). It imports nothing, so a browser bundle pays only for the strings.
 */
export const ConversationEventTypes = [
  'created',
  'message',
  'queued',
  'assigned',
  'unassigned',
  'resolved',
  'transferred',
  'joined',
  'parted',
  'reopened',
] as const;
export type ConversationEventType = (typeof ConversationEventTypes)[number];

/** Every conversation event but the chat itself: the ones that change a conversation's state, and so the monitor. */
export const StateEventTypes: readonly Exclude<ConversationEventType, 'message'>[] = ConversationEventTypes.filter(
  (t): t is Exclude<ConversationEventType, 'message'> => t !== 'message',
);
