/** MON-4 and ROUTE-7 over the admin API: the routing dry run of the conversation test page, and which keyword rule matches a text. */
import type { Static } from '@sinclair/typebox';
import { Keys } from '../../../actors/keyspace.js';
import type { DepartmentRecord } from '../../../actors/department/records.js';
import type { StaffRecord } from '../../../actors/agent/records.js';
import { KeywordMatcher, type KeywordRule } from '../../../actors/routing/keyword-rules.js';
import { dryRunRouting } from '../../../actors/routing-dry-run.js';
import { route } from './route.js';
import { DryRunAnswer, DryRunBody, KeywordTestAnswer, KeywordTestBody } from './schemas/routing-test.js';

export const routingTestRoutes = [
  route({
    method: 'post',
    path: '/routing/test',
    permission: 'routing.test',
    summary:
      'Dry run (MON-4): where a described customer would be routed now and why (keyword rules, department, each candidate with its figures and skip reason, or the queue place); nothing is stored, nobody is offered anything',
    body: DryRunBody,
    response: DryRunAnswer,
    handle: async ({ body }, { dir }) => {
      const { runtime, journal } = dir.deps;
      const answer = await dryRunRouting(
        {
          runtime,
          keywords: dir.keywords,
          departments: () => [...journal.records<DepartmentRecord>(Keys.departments)].map((r) => r.value),
          departmentConfig: (id) => dir.departmentConfig(id),
          verification: dir.settings.verification,
          department: (id) => dir.department(id),
          queue: (id) => dir.queue(id),
        },
        body,
      );
      // Names for the page: a verdict carries only the agent's id.
      const names = new Map([...journal.records<StaffRecord>(Keys.allStaff)].map((r) => [r.value.id, r.value.name]));
      const decisions = answer.placement?.decisions.map((d) => ({
        ...d,
        candidates: d.candidates.map((c) => ({
          ...c,
          ...(names.has(c.agentId) ? { name: names.get(c.agentId) } : {}),
        })),
      }));
      return {
        ...answer,
        ...(answer.placement ? { placement: { ...answer.placement, decisions: decisions ?? [] } } : {}),
      } as Static<typeof DryRunAnswer>;
    },
  }),
  route({
    method: 'post',
    path: '/keyword-rules/test',
    permission: 'workspace.read',
    summary:
      "Which keyword rules match a text (ROUTE-7), with the server's own matcher (Chinese without spaces, case and full-width folded); the stored rules or the ones given",
    body: KeywordTestBody,
    response: KeywordTestAnswer,
    handle: async ({ body }, { dir }) => {
      const matcher = body.rules ? new KeywordMatcher(body.rules as KeywordRule[]) : dir.keywords;
      const { matches, department, skills, tier, priority } = matcher.match(body.text, body.first !== false);
      return {
        matches,
        ...(department !== undefined ? { department } : {}),
        ...(skills !== undefined ? { skills: [...skills] } : {}),
        ...(tier !== undefined ? { tier } : {}),
        ...(priority !== undefined ? { priority } : {}),
      };
    },
  }),
];
