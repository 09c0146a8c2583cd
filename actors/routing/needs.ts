/** What routing knows a conversation asks for, and why it waits as a left message. */

import type { BacklogReason } from '../../protocol/vocabulary.js';

/** Why a customer was offered to leave a message instead of waiting in line (QUEUE-4, QUEUE-6). */
export type { BacklogReason };

/** What a conversation asks of its agent and its queue priority, as settled by keyword rules and the customer profile. */
export interface ConversationNeeds {
  skills: string[];
  /** 2 = needs a specialist (ROUTE-5). */
  tier: 1 | 2;
  vip: boolean;
  /** Queue priority, 0–10 (QUEUE-2). */
  priority: number;
}

export const defaultConversationNeeds: ConversationNeeds = { skills: [], tier: 1, vip: false, priority: 0 };
