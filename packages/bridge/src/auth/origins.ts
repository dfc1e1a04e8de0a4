/**
 * Whether a browser request from `origin` may use the bridge. No `Origin` header (a program, not
 * a page) is allowed: the origin check protects browsers' cookies and tokens from other pages
 * (cross-site WebSocket hijacking), authentication protects the rest. `allow` undefined: only
 * the page's own origin (its host equals the request's `Host`); `['*']`: any origin; otherwise
 * the exact origins listed (`https://app.example.com`).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allow: readonly string[] | undefined,
): boolean {
  if (origin === undefined) return true;
  if (allow === undefined) {
    if (host === undefined) return false;
    try {
      return new URL(origin).host.toLowerCase() === host.toLowerCase();
    } catch {
      return false;
    }
  }
  if (allow.includes('*')) return true;
  return allow.includes(origin.toLowerCase().replace(/\/+$/, ''));
}

/** The allow-list as compared: lower case, no trailing slash. */
export function normalizeOrigins(list: readonly string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((o) => typeof o !== 'string'))
    throw new TypeError("origins must be an array of origins such as 'https://app.example.com', or ['*']");
  return list.map((o) => o.toLowerCase().replace(/\/+$/, ''));
}
