/**
 * Serves the built web files from the uWS app (WEB-1, issue 16): one GET
 * and one HEAD route per known URL path (anything else falls through to the
 * gateway's 404), the precompressed variant the client accepts, a strong
 * ETag with If-None-Match → 304, and Cache-Control by class: content-hashed
 * files are immutable for a year, entry files and pages are revalidated.
 * Handlers answer synchronously, corked.
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { chooseCoding } from './content-coding.js';
import { entityTag, noneMatch } from './entity-tag.js';
import { commonHeaders, contentSecurityPolicy, pageHeaders, scriptHeaders } from './security-headers.js';
import type { WebAsset } from './web-assets.js';

const cacheControl = { immutable: 'public, max-age=31536000, immutable', revalidate: 'no-cache' } as const;

export function registerStaticRoutes(app: TemplatedApp, assets: Map<string, WebAsset>): void {
  for (const [url, asset] of assets) {
    app.get(url, (res, req) => serve(res, req, asset, true));
    app.head(url, (res, req) => serve(res, req, asset, false));
  }
}

/**
 * CLUSTER-1: the staff pages of a workspace other than the default one, under its route prefix. They are
 * the same files; each page finds its workspace's routes from its own path (src/web/shared/workspace-base.ts).
 */
export const WORKSPACE_PAGES = ['/console', '/admin'] as const;

export function registerWorkspacePages(app: TemplatedApp, assets: Map<string, WebAsset>, prefix: string): void {
  for (const url of WORKSPACE_PAGES) {
    const asset = assets.get(url);
    if (!asset) continue;
    app.get(`${prefix}${url}`, (res, req) => serve(res, req, asset, true));
    app.head(`${prefix}${url}`, (res, req) => serve(res, req, asset, false));
  }
}

function serve(res: HttpResponse, req: HttpRequest, asset: WebAsset, withBody: boolean): void {
  const { meta } = asset;
  // This uWS build counts endWithoutBody (HEAD, 304) as no answer unless an abort handler is attached.
  res.onAborted(() => undefined);
  const coding = chooseCoding(req.getHeader('accept-encoding'), {
    br: asset.br !== undefined,
    gzip: asset.gzip !== undefined,
  });
  const tag = entityTag(meta.hash, coding);
  const notModified = noneMatch(req.getHeader('if-none-match'), tag);
  const host = req.getHeader('host');
  const body = coding === 'br' ? asset.br! : coding === 'gzip' ? asset.gzip! : asset.identity;
  res.cork(() => {
    res.writeStatus(notModified ? '304 Not Modified' : '200 OK');
    res.writeHeader('ETag', tag);
    res.writeHeader('Cache-Control', cacheControl[meta.cache]);
    if (asset.br || asset.gzip) res.writeHeader('Vary', 'Accept-Encoding');
    for (const [k, v] of commonHeaders) res.writeHeader(k, v);
    if (meta.type.startsWith('text/javascript')) for (const [k, v] of scriptHeaders) res.writeHeader(k, v);
    if (meta.html) {
      res.writeHeader('Content-Security-Policy', contentSecurityPolicy(host));
      for (const [k, v] of pageHeaders) res.writeHeader(k, v);
    }
    if (notModified) return void res.endWithoutBody();
    res.writeHeader('Content-Type', meta.type);
    if (coding !== 'identity') res.writeHeader('Content-Encoding', coding);
    if (withBody) res.end(body);
    else res.endWithoutBody(body.byteLength);
  });
}
