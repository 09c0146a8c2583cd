/**
 * WEB-2: what a visitor tells about themselves: the pre-chat form's
 * answers (fields set by the admin) and the leave-a-message form's name
 * and email. They land on the visitor's customer profile (CUST-3), where
 * staff read them with `customer`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CustomerLimits } from '../limits.js';
import { CommandId, strict } from './common.js';
import { AttributeKey, CustomerEmail, CustomerName } from './customer.js';

export const PreChatField = Type.Object(
  {
    // `name` and `email` fill those profile fields; any other key is a custom question, kept as the customer attribute of that key.
    key: AttributeKey,
    required: Type.Boolean(),
    label: Type.Optional(
      Type.Object(
        {
          en: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          'zh-CN': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        },
        { ...strict, description: 'The question as the widget shows it; `name` and `email` have built-in labels.' },
      ),
    ),
  },
  {
    ...strict,
    description:
      'One field of the pre-chat form (WEB-2). `key` `name` and `email` fill those profile fields; any other key is a custom question whose answer is kept as the customer attribute of that key.',
  },
);
export type PreChatField = Static<typeof PreChatField>;

export const VisitorDetails = Type.Object(
  {
    name: Type.Optional(CustomerName),
    email: Type.Optional(CustomerEmail),
    answers: Type.Optional(
      Type.Record(AttributeKey, Type.String({ minLength: 1, maxLength: CustomerLimits.maxAttributeValueLength }), {
        ...strict,
        maxProperties: 20,
        description: "Answers to the pre-chat form's custom questions, by field key.",
      }),
    ),
  },
  {
    ...strict,
    description:
      "WEB-2: the visitor's own details. Name and email fill the profile (a verified customer's are never overwritten); answers become customer attributes.",
  },
);
export type VisitorDetails = Static<typeof VisitorDetails>;

export const DetailsFrame = Type.Object(
  { type: Type.Literal('details'), id: CommandId, details: VisitorDetails },
  {
    ...strict,
    description:
      'Visitor: tell the team your name, email or answers (the leave-a-message form, WEB-2). Answer keys must be fields of the pre-chat form.',
  },
);
export type DetailsFrame = Static<typeof DetailsFrame>;
