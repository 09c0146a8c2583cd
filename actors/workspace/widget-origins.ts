/**
 * WEB-1: the sites that may embed the widget, as origins. An entry is an
 * origin (`https://shop.example.com`, `http://localhost:8000`) or a wildcard
 * for the subdomains of one (`https://*.example.com`, which does not match
 * `https://example.com` itself). Entries are kept in canonical form (lower
 * case, default port dropped, no path), so a browser's `Origin` header, which
 * is canonical already, compares as a string once the wildcard is dealt with.
 */

/** The most entries a workspace may list. */
export const MAX_WIDGET_ORIGINS = 200;

const WILDCARD = '*.';

/** The canonical form of an entry, or undefined when it is not one. */
export function canonicalOrigin(entry: string): string | undefined {
  const text = entry.trim();
  const m = /^(https?):\/\/(\*\.)?([^/?#]+)\/?$/i.exec(text);
  if (!m) return undefined;
  const [, scheme, wildcard, rest] = m as unknown as [string, string, string | undefined, string];
  let url: URL;
  try {
    url = new URL(`${scheme}://${rest}`);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.hostname === '') return undefined;
  // The wildcard stands for at least one label; `*.com` would let in half the web.
  if (wildcard && !url.hostname.includes('.') && url.hostname !== 'localhost') return undefined;
  return `${url.protocol}//${wildcard ? WILDCARD : ''}${url.host}`;
}

/** Why a list cannot be stored (its field and a message), or undefined when it can. */
export function invalidWidgetOrigins(list: unknown): { field: string; message: string } | undefined {
  if (!Array.isArray(list) || list.length > MAX_WIDGET_ORIGINS)
    return { field: 'widgetOrigins', message: `a list of at most ${MAX_WIDGET_ORIGINS} origins` };
  for (const [i, entry] of list.entries()) {
    if (typeof entry !== 'string' || canonicalOrigin(entry) !== entry)
      return {
        field: `widgetOrigins.${i}`,
        message: 'an origin such as https://shop.example.com or https://*.example.com (scheme, host, optional port)',
      };
  }
  if (new Set(list).size !== list.length) return { field: 'widgetOrigins', message: 'origins must be unique' };
  return undefined;
}

/**
 * Whether a page of `origin` (a browser's Origin header) may embed the widget. An absent list is
 * a fresh install's: every site may, so the snippet works wherever it is pasted until an admin
 * names the sites; an empty list lets in no other site.
 */
export function widgetOriginAllowed(origin: string, list: readonly string[] | undefined): boolean {
  if (list === undefined) return true;
  const canonical = canonicalOrigin(origin);
  if (canonical === undefined || canonical.includes('*')) return false;
  for (const entry of list) {
    if (entry === canonical) return true;
    if (entry.includes(WILDCARD) && matchesWildcard(canonical, entry)) return true;
  }
  return false;
}

function matchesWildcard(origin: string, entry: string): boolean {
  const [scheme, pattern] = entry.split(`//${WILDCARD}`) as [string, string];
  if (!origin.startsWith(`${scheme}//`)) return false;
  const host = origin.slice(scheme.length + 2);
  return host.endsWith(`.${pattern}`) && host.length > pattern.length + 1;
}
