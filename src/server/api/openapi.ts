/**
 * The OpenAPI 3.1 document of the admin HTTP API, made from the route table
 * and its TypeBox schemas (which are JSON Schema), so it cannot drift from
 * what the server checks. Each operation names its permission
 * (`x-permission`, ROLE-4) and the roles that hold it.
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { Permissions } from '../../auth/permissions.js';
import { API_PREFIX, MAX_API_BODY_BYTES } from './router.js';
import { PUBLIC, type Route } from './route.js';
import { ErrorAnswer } from './schemas/common.js';

/** A schema as plain JSON (TypeBox's symbol keys dropped). */
const plain = (s: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function parameters(schema: TObject | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: plain(s),
    ...(s.description ? { description: s.description as string } : {}),
  }));
}

export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = API_PREFIX + r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const status = r.status.slice(0, 3);
    const permission = r.permission === PUBLIC ? undefined : Permissions[r.permission];
    const responses: Record<string, unknown> = {
      [status]:
        status === '204'
          ? { description: 'Done' }
          : r.mediaType
            ? {
                description: 'Done: the file, streamed',
                content: { [r.mediaType]: { schema: { type: 'string', format: 'binary' } } },
              }
            : { description: 'Done', content: { 'application/json': { schema: plain(r.response) } } },
      '400': errorResponse('bad_frame (not JSON), invalid_field (the field is named)'),
    };
    if (permission) {
      responses['401'] = errorResponse('unauthorized: no or a bad token');
      responses['403'] = errorResponse(
        'forbidden: the role lacks the permission, or the department is not one the supervisor leads',
      );
    }
    if (r.params) responses['404'] = errorResponse('not_found: no such id');
    if (r.body) {
      responses['409'] = errorResponse('conflict: the change contradicts the current state');
      responses['413'] = errorResponse(`limit_exceeded: the body is over ${MAX_API_BODY_BYTES} bytes`);
      responses['415'] = errorResponse('unsupported_media_type: the body is not application/json');
    }
    responses['503'] = errorResponse('unavailable, storage_failed or timeout: retry');
    (paths[path] ??= {})[r.method] = {
      operationId: `${r.method}${r.path.replace(/\/:?([a-z])/gi, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`,
      summary: r.summary,
      ...(permission
        ? {
            security: [{ bearer: [] }],
            'x-permission': r.permission,
            description: `Needs \`${r.permission}\` (${permission.roles.join(', ')}; ${permission.scope} scope): ${permission.about}.`,
          }
        : { security: [] }),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: plain(r.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard admin API',
      version: '1',
      description: 'Workspace configuration, staff, canned replies and the audit log. See docs/http-api.md.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A staff sign-in token.' } },
      schemas: { Error: plain(ErrorAnswer) },
    },
    paths,
  };
}
