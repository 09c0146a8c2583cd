/** Schemas of the workspace's keyword rules (/api/v1/keyword-rules). */
import { Type } from '@sinclair/typebox';
import { DepartmentId } from '../../../../protocol/frames.js';
import { Skills, strict } from './common.js';

export const KeywordRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }),
    department: Type.Optional(DepartmentId),
    skills: Type.Optional(Skills),
    tier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    laterMessages: Type.Optional(Type.Boolean()),
  },
  { ...strict, description: 'ROUTE-7: the first matching rule that sets an attribute decides it.' },
);
export const KeywordRules = Type.Object({ rules: Type.Array(KeywordRule, { maxItems: 500 }) }, strict);
