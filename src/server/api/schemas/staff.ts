/** Schemas of staff accounts (/api/v1/staff) and of a new password. */
import { Type } from '@sinclair/typebox';
import { PASSWORD_RULE } from '../../../auth/sign-in.js';
import { AgentStatus, DepartmentId } from '../../../../protocol/frames.js';
import { Tiers, literals } from '../../../../protocol/vocabulary.js';
import { Name, Role, Skills, StaffId, nullable, strict } from './common.js';

const Tier = literals(Tiers, { description: '1 first line, 2 specialist, 3 senior (ROUTE-5).' });

const staffFields = {
  name: Name,
  email: Type.String({ minLength: 3, maxLength: 200, pattern: '^[^\\s@]+@[^\\s@]+$' }),
  role: Role,
  departments: Type.Array(DepartmentId, { maxItems: 100, uniqueItems: true }),
};
const routingFields = {
  maxConcurrent: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'Own capacity (ROUTE-11); the largest department default when absent.',
  }),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'Weighted round robin share (ROUTE-4).' }),
  tier: Tier,
  skills: Skills,
  crossDepartmentTransfer: Type.Boolean({ description: 'XFER-1: an agent may transfer to other departments.' }),
};
export const Password = Type.String({
  minLength: PASSWORD_RULE.minLength,
  maxLength: PASSWORD_RULE.maxLength,
  description: 'At least 10 characters; stored as an scrypt hash.',
});

export const StaffCreate = Type.Object(
  {
    id: StaffId,
    ...staffFields,
    password: Password,
    maxConcurrent: Type.Optional(routingFields.maxConcurrent),
    weight: Type.Optional(routingFields.weight),
    tier: Type.Optional(routingFields.tier),
    skills: Type.Optional(routingFields.skills),
    crossDepartmentTransfer: Type.Optional(routingFields.crossDepartmentTransfer),
  },
  strict,
);

export const StaffPatch = Type.Object(
  {
    name: Type.Optional(staffFields.name),
    email: Type.Optional(staffFields.email),
    role: Type.Optional(staffFields.role),
    departments: Type.Optional(staffFields.departments),
    password: Type.Optional(Password),
    maxConcurrent: Type.Optional(nullable(routingFields.maxConcurrent)),
    weight: Type.Optional(nullable(routingFields.weight)),
    tier: Type.Optional(nullable(routingFields.tier)),
    skills: Type.Optional(nullable(routingFields.skills)),
    crossDepartmentTransfer: Type.Optional(nullable(routingFields.crossDepartmentTransfer)),
    status: Type.Optional(AgentStatus),
  },
  { ...strict, minProperties: 1 },
);

export const StaffView = Type.Object({
  id: Type.String(),
  ...staffFields,
  maxConcurrent: Type.Optional(Type.Integer()),
  weight: Type.Optional(Type.Number()),
  tier: Type.Optional(Tier),
  skills: Type.Optional(Type.Array(Type.String())),
  crossDepartmentTransfer: Type.Optional(Type.Boolean()),
  live: Type.Optional(
    Type.Object(
      { status: AgentStatus, active: Type.Integer(), max: Type.Integer() },
      { description: "The agent actor's status and load now." },
    ),
  ),
});

export const StaffList = Type.Object({ staff: Type.Array(StaffView) });
