/** The answers to commands: one ack or one error per command id. */
import { Type, type Static } from '@sinclair/typebox';
import { ErrorCodes } from '../errors.js';
import { CommandId } from './common.js';
import { literals } from '../vocabulary.js';

export const AckFrame = Type.Object(
  { type: Type.Literal('ack'), id: CommandId, result: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { description: 'The command with this id succeeded; for writes, it is committed to disk.' },
);
export type AckFrame = Static<typeof AckFrame>;

export const ErrorFrame = Type.Object(
  {
    type: Type.Literal('error'),
    id: Type.Optional(CommandId),
    code: literals(ErrorCodes),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  },
  { description: 'The command with this id (absent when the frame had no readable id) failed; nothing changed.' },
);
export type ErrorFrame = Static<typeof ErrorFrame>;
