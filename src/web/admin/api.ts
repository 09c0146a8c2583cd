/**
 * The admin pages' client of the admin HTTP API (/api/v1, docs/http-api.md):
 * JSON with the signed-in admin's bearer token. An expired token is
 * refreshed once and the request sent again; a refused refresh signs out.
 * Every failure is an ApiError with the server's stable code and the field
 * it names (shown at that field), or `unreachable` when no answer came
 * (WEB-7: the page says so instead of going blank).
 */
import { workspaceBase } from '../shared/workspace-base.js';
import type { StaffAuth } from '../shared/staff-auth.js';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class AdminApi {
  /** Told whether the last request reached the server, for the page's banner (WEB-7). */
  onReachable: (reachable: boolean) => void = () => undefined;

  constructor(private readonly auth: StaffAuth) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** A file answer (the backup), as a blob, with the name the server offers. */
  async download(path: string): Promise<{ blob: Blob; fileName: string }> {
    const res = await this.send('GET', path);
    if (!res.ok) await this.fail(res);
    const disposition = res.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
    return { blob: await res.blob(), fileName };
  }

  private async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (!res.ok) await this.fail(res);
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(method: Method, path: string, body?: unknown, retried = false): Promise<Response> {
    const token = this.auth.session?.token;
    if (!token) throw new ApiError('unauthorized', 'not signed in', 401);
    let res: Response;
    try {
      res = await fetch(`${workspaceBase()}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      this.onReachable(false);
      throw new ApiError('unreachable', 'the server cannot be reached', 0);
    }
    this.onReachable(true);
    if (res.status === 401 && !retried) {
      // The access token expired (or was revoked): one refresh, then the same request again.
      try {
        await this.auth.refresh();
      } catch {
        this.auth.forget();
        throw new ApiError('unauthorized', 'signed out', 401);
      }
      return this.send(method, path, body, true);
    }
    return res;
  }

  private async fail(res: Response): Promise<never> {
    let error: { code?: string; message?: string; field?: string } | undefined;
    try {
      error = ((await res.json()) as { error?: typeof error }).error;
    } catch {
      // Not the API's JSON (a proxy's page): the status says enough.
    }
    throw new ApiError(
      error?.code ?? 'bad_answer',
      error?.message ?? `the server answered ${res.status}`,
      res.status,
      error?.field,
    );
  }
}
