// Security headers: set on every answer (errors included); a route that serves HTML may override its own CSP.

/** Every answer is JSON or plain text read by programs: nothing to embed, frame, sniff, cache or refer from. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};
