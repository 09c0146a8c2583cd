/** CUST-2/3 from a conversation: the view of its customer for staff who may read it, after storing changes if given. */
import { ProtocolError } from '../../protocol/errors.js';
import type { CustomerChanges } from '../../protocol/frames.js';
import type { Caller } from '../notifier.js';
import type { Reply } from '../runtime.js';
import { customerView, type CustomerView } from '../customer-view.js';
import type { ConversationPorts } from './ports.js';

export function serveCustomer(
  ports: Pick<ConversationPorts, 'journal' | 'runtime' | 'customers'>,
  conversation: { id: string; visitorId: string },
  msg: { caller: Caller; changes?: CustomerChanges; reply: Reply<CustomerView> },
): void {
  const view = (): CustomerView => customerView(ports.journal, conversation.visitorId, { exclude: conversation.id });
  if (!msg.changes) return msg.reply(view());
  if (msg.changes.vip !== undefined && msg.caller.role === 'agent') {
    return msg.reply(new ProtocolError('forbidden', 'only supervisors and admins change the VIP flag', 'changes.vip'));
  }
  // The customers actor is the one writer of customer records.
  ports.runtime.tell(ports.customers, {
    type: 'edit',
    visitorId: conversation.visitorId,
    changes: msg.changes,
    reply: (r) => msg.reply(r instanceof ProtocolError ? r : view()),
  });
}
