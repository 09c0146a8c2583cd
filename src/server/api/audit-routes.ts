/** ROLE-5: the audit log, read by admins with filters, a page at a time. */
import type { Static } from '@sinclair/typebox';
import { readAudit } from '../../../actors/audit.js';
import { route } from './route.js';
import { AuditList, AuditQuery } from './schemas/audit.js';

const DEFAULT_PAGE = 100;

export const auditRoutes = [
  route({
    method: 'get',
    path: '/audit',
    permission: 'audit.read',
    summary: 'Audit log entries, oldest first, filtered by time range, actor and action; `next` pages on',
    query: AuditQuery,
    response: AuditList,
    handle: async ({ query }, { dir }) =>
      readAudit(dir.deps.journal, { ...query, limit: query.limit ?? DEFAULT_PAGE }) as Static<typeof AuditList>,
  }),
];
