/**
 * The demo workspace created on first start: two departments and four staff
 * accounts with random passwords and sign-in tokens, returned once so the
 * CLI can print them. Created through the workspace actor's messages, like
 * any later configuration change.
 */
import { randomBytes } from 'node:crypto';
import type { Directory } from '../actors/directory.js';
import { Keys } from '../actors/keyspace.js';
import type { DepartmentRecord } from '../actors/department/records.js';
import type { StaffRecord, StaffRole } from '../actors/agent/records.js';
import type { KeywordRule } from '../actors/routing/keyword-rules.js';
import { hashPassword, PASSWORD_COST } from './auth/passwords.js';

export interface DemoCredential {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  departments: string[];
  password: string;
  token: string;
}

const departments: Omit<DepartmentRecord, 'order'>[] = [
  { id: 'pre-sales', name: 'Pre-sales', defaultMaxConcurrent: 5 },
  { id: 'after-sales', name: 'After-sales', defaultMaxConcurrent: 5 },
];

/** ROUTE-7 demo rules: refunds and complaints go to after-sales whatever page the customer started from. */
const keywordRules: KeywordRule[] = [
  { id: 'refund', keywords: ['退款', '退货', 'refund', 'return my order'], department: 'after-sales' },
  { id: 'complaint', keywords: ['投诉', 'complaint'], department: 'after-sales', priority: 2, laterMessages: true },
  { id: 'pricing', keywords: ['价格', '报价', 'price', 'pricing', 'quote'], department: 'pre-sales' },
];

/**
 * XFER-1: bob may transfer across departments, so the seed's day (a refund in after-sales handed to alice
 * in pre-sales) runs on the demo workspace as `npm start` creates it.
 */
const staff: Pick<StaffRecord, 'id' | 'name' | 'role' | 'departments' | 'crossDepartmentTransfer'>[] = [
  { id: 'alice', name: 'Alice', role: 'agent', departments: ['pre-sales'] },
  { id: 'bob', name: 'Bob', role: 'agent', departments: ['after-sales'], crossDepartmentTransfer: true },
  { id: 'carol', name: 'Carol', role: 'supervisor', departments: ['pre-sales', 'after-sales'] },
  { id: 'admin', name: 'Admin', role: 'admin', departments: ['pre-sales', 'after-sales'] },
];

/**
 * CUST-1: the demo workspace's verification secret, required for logins.
 * Returned once like the staff credentials; the company's server would sign
 * its users' ids with it (actors/login-signature.ts signLogin).
 */
export async function seedDemoVerification(dir: Directory): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await dir.deps.runtime.ask(dir.workspace, { type: 'setVerification', verification: { secret, required: true } });
  return secret;
}

/** Creates the demo workspace if the store has no department yet; returns the new credentials, or [] if it existed. */
export async function seedDemo(dir: Directory, passwordCost = PASSWORD_COST): Promise<DemoCredential[]> {
  if (!dir.deps.journal.records(Keys.departments)[Symbol.iterator]().next().done) return [];
  const { runtime } = dir.deps;
  for (const department of departments) await runtime.ask(dir.workspace, { type: 'createDepartment', department });
  await runtime.ask(dir.workspace, { type: 'setKeywordRules', rules: keywordRules });
  // XFER-2, XFER-5: demo tags for transfers, and the daily limit of agents.
  await runtime.ask(dir.workspace, {
    type: 'configureWorkspace',
    changes: { tags: ['billing', 'technical', 'shipping', 'angry', 'vip'], transferLimits: { agent: 10 } },
  });
  const created: DemoCredential[] = [];
  // The hashes are computed side by side (scrypt runs on libuv's thread pool): the first start waits for one, not four.
  const passwords = staff.map(() => randomBytes(9).toString('base64url'));
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p, passwordCost)));
  for (const [i, s] of staff.entries()) {
    const password = passwords[i]!;
    const email = `${s.id}@demo.switchboard.local`;
    const record: StaffRecord = { ...s, email, passwordHash: hashes[i]! };
    await runtime.ask(dir.workspace, { type: 'createStaff', staff: record });
    // A first session, so the printed token works at once; it expires like any other (sign in with the password after).
    const { token } = await runtime.ask(dir.sessions, { type: 'open', staffId: s.id });
    created.push({ id: s.id, name: s.name, role: s.role, departments: s.departments, email, password, token });
  }
  return created;
}
