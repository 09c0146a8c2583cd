/**
 * THE route table of the admin HTTP API (/api/v1). Every route is here, each
 * naming its permission from src/auth/permissions.ts (ROLE-4); the router,
 * the OpenAPI document and the tests all read this one list.
 */
import { Type } from '@sinclair/typebox';
import { PUBLIC, route, type Route } from './route.js';
import { openApiDocument } from './openapi.js';
import { workspaceRoutes } from './workspace-routes.js';
import { preChatRoutes } from './pre-chat-routes.js';
import { departmentRoutes } from './department-routes.js';
import { staffRoutes } from './staff-routes.js';
import { cannedRoutes } from './canned-routes.js';
import { auditRoutes } from './audit-routes.js';
import { authRoutes } from './auth-routes.js';
import { routingTestRoutes } from './routing-test-routes.js';
import { backupRoutes } from './backup-routes.js';
import { reportsRoutes } from './reports-routes.js';

export const apiRoutes: readonly Route[] = [
  route({
    method: 'get',
    path: '/openapi.json',
    permission: PUBLIC,
    summary: 'This API as an OpenAPI 3.1 document',
    response: Type.Object({ openapi: Type.String() }, { additionalProperties: true }),
    handle: async () => openApiDocument(apiRoutes) as { openapi: string },
  }),
  ...authRoutes,
  ...workspaceRoutes,
  ...preChatRoutes,
  ...departmentRoutes,
  ...staffRoutes,
  ...cannedRoutes,
  ...auditRoutes,
  ...routingTestRoutes,
  ...backupRoutes,
  ...reportsRoutes,
];
