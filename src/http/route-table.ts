// Route table: every path the API knows and its methods, for 405 answers with an `Allow` header and the OpenAPI document.

export const API_PREFIX = "/api/v1";
/** Everything after this prefix is a model name (`%2F` or a plain `/` inside it alike). */
export const MODEL_NAME_PREFIX = `${API_PREFIX}/models/`;
/** The name route as the OpenAPI document writes it. */
export const MODEL_NAME_ROUTE = `${API_PREFIX}/models/{name}`;
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

const READ = ["GET", "HEAD"] as const;

const EXACT: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ["/", READ],
  ["/health", READ],
  ["/ready", READ],
  ["/metrics", READ],
  [OPENAPI_PATH, READ],
  [`${API_PREFIX}/system`, READ],
  [`${API_PREFIX}/models`, READ],
  [`${API_PREFIX}/models/top`, READ],
  [`${API_PREFIX}/estimate`, ["POST"]],
]);

/** Probes answer without the access token: they say only that the process runs (and is ready). */
export const OPEN_PATHS: ReadonlySet<string> = new Set(["/health", "/ready"]);

/** Every route, `{name}` for the name route, with its methods: what the OpenAPI document must list. */
export function routeList(): Array<{ path: string; methods: readonly string[] }> {
  return [...[...EXACT].map(([path, methods]) => ({ path, methods })), { path: MODEL_NAME_ROUTE, methods: READ }];
}

/** The methods a path answers; empty when no route has this path. `path` is the raw path, query removed. */
export function allowedMethods(path: string): readonly string[] {
  const exact = EXACT.get(path);
  if (exact) return exact;
  if (path.startsWith(MODEL_NAME_PREFIX) && path.length > MODEL_NAME_PREFIX.length) return READ;
  return [];
}

/** The path of a request URL, without its query string. */
export const pathOf = (url: string): string => {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
};

/** A route pattern as metrics label it: the name route's wildcard written as the document writes it. */
export const routeLabel = (pattern: string): string => (pattern === `${MODEL_NAME_PREFIX}*` ? MODEL_NAME_ROUTE : pattern);
