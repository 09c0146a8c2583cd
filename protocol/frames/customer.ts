/** Customer profiles (CUST-1…3): the fields a login or an edit may set, and the staff commands that read and edit them. */
import { Type, type Static } from '@sinclair/typebox';
import { CustomerLimits } from '../limits.js';
import { ConversationId, command, strict } from './common.js';

export const CustomerName = Type.String({ minLength: 1, maxLength: CustomerLimits.maxNameLength });

export const CustomerEmail = Type.String({
  minLength: 3,
  maxLength: CustomerLimits.maxEmailLength,
  pattern: '^[^\\s@]+@[^\\s@]+$',
});

const CustomerPhone = Type.String({
  minLength: 3,
  maxLength: CustomerLimits.maxPhoneLength,
  pattern: '^[0-9+()./ -]+$',
});

export const CustomerFrame = command(
  'customer',
  { conversationId: ConversationId },
  'Staff: the profile and earlier conversations (with their internal and transfer notes) of the customer of a conversation you may read (CUST-2, CUST-3).',
);
export type CustomerFrame = Static<typeof CustomerFrame>;

export const AttributeKey = Type.String({
  pattern: `^[A-Za-z][A-Za-z0-9_.-]{0,${CustomerLimits.maxAttributeKeyLength - 1}}$`,
});

const AttributeValue = Type.String({ minLength: 1, maxLength: CustomerLimits.maxAttributeValueLength });

export const CustomerChanges = Type.Object(
  {
    name: Type.Optional(Type.Union([CustomerName, Type.Null()])),
    email: Type.Optional(Type.Union([CustomerEmail, Type.Null()])),
    phone: Type.Optional(Type.Union([CustomerPhone, Type.Null()])),
    vip: Type.Optional(Type.Boolean({ description: 'Supervisors and admins only.' })),
    attributes: Type.Optional(
      Type.Record(AttributeKey, Type.Union([AttributeValue, Type.Null()]), {
        ...strict,
        maxProperties: CustomerLimits.maxAttributes,
        description: 'Attributes to set; null removes one; attributes not named stay.',
      }),
    ),
  },
  {
    ...strict,
    minProperties: 1,
    description: 'Fields to change; null clears a field; absent fields stay as they are.',
  },
);
export type CustomerChanges = Static<typeof CustomerChanges>;

export const EditCustomerFrame = command(
  'edit_customer',
  { conversationId: ConversationId, changes: CustomerChanges },
  'Staff: edit the profile of the customer of a conversation you may read (CUST-3). Applies to their future conversations.',
);
export type EditCustomerFrame = Static<typeof EditCustomerFrame>;
