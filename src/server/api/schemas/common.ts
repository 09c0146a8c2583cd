/**
 * The admin HTTP API's bodies, queries and answers are TypeBox schemas (this folder, one file per resource):
 * they validate requests and are the JSON Schemas of the OpenAPI document. What they share: strict objects (unknown fields are refused), `null` for a setting
 * that goes back to its default in a PATCH, the common field shapes, the error answer and the id parameter.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorCodes } from '../../../../protocol/errors.js';
import { Limits } from '../../../../protocol/limits.js';
import { StaffRoles, literals } from '../../../../protocol/vocabulary.js';

export const strict = { additionalProperties: false } as const;
export const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Seconds = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 604_800, description });
export const Name = Type.String({ minLength: 1, maxLength: 100 });
export const StaffId = Type.String({
  minLength: 1,
  maxLength: Limits.maxIdLength,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'Staff id, e.g. "alice".',
});
export const Role = literals(StaffRoles);
export const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 50,
  uniqueItems: true,
  description: 'Skill tags (ROUTE-6).',
});

export const ErrorAnswer = Type.Object(
  {
    error: Type.Object({
      code: literals(ErrorCodes),
      message: Type.String(),
      field: Type.Optional(
        Type.String({
          description: 'The failing field as a dotted path (`widening.overflowTo`, `query.limit`, `path.id`).',
        }),
      ),
    }),
  },
  { description: 'Every error: a stable code, a readable message and, for bad input, the field.' },
);

export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: Limits.maxIdLength, pattern: '^[A-Za-z0-9_.:-]+$' }) },
  strict,
);
