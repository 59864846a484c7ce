// Route table: every path the API knows and its methods, for 405 answers with an `Allow` header and the OpenAPI document.

export const API_PREFIX = "/api/v1";
/** Everything after this prefix is a model name (`%2F` or a plain `/` inside it alike). */
export const MODEL_NAME_PREFIX = `${API_PREFIX}/models/`;
/** The name route as the OpenAPI document writes it. */
export const MODEL_NAME_ROUTE = `${API_PREFIX}/models/{name}`;
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;
/** The MCP endpoint (Streamable HTTP): POST only, as the server is stateless and offers no server-sent stream. */
export const MCP_PATH = "/mcp";
/** The dashboard's hashed files (`GET /` answers its page to a browser): not API routes, so not in `routeList()`. */
export const DASHBOARD_ASSETS_PREFIX = "/assets/";

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
  [`${API_PREFIX}/plan`, ["POST"]],
  [`${API_PREFIX}/benchmarks`, READ],
  [`${API_PREFIX}/runtimes`, READ],
  [MCP_PATH, ["POST"]],
]);

/** Probes answer without the access token: they say only that the process runs (and is ready). */
export const OPEN_PATHS: ReadonlySet<string> = new Set(["/health", "/ready"]);

/** The dashboard's routes as fastify serves them, beside the API's `routeList()`. */
export const DASHBOARD_ROUTES: ReadonlyArray<{ path: string; methods: readonly string[] }> = [{ path: `${DASHBOARD_ASSETS_PREFIX}*`, methods: READ }];

/**
 * The dashboard's page and files answer without the access token: they hold no data (the page asks for the token and
 * sends it with each API request it makes). `GET /` is the page only when it is asked for as HTML.
 */
export const isDashboardRequest = (path: string, wantsPage: boolean): boolean =>
  (path === "/" && wantsPage) || (path.startsWith(DASHBOARD_ASSETS_PREFIX) && path.length > DASHBOARD_ASSETS_PREFIX.length);

/** Every route, `{name}` for the name route, with its methods: what the OpenAPI document must list. */
export function routeList(): Array<{ path: string; methods: readonly string[] }> {
  return [...[...EXACT].map(([path, methods]) => ({ path, methods })), { path: MODEL_NAME_ROUTE, methods: READ }];
}

/** The methods a path answers; empty when no route has this path. `path` is the raw path, query removed; `dashboard`:
 *  whether the app serves the dashboard's files. */
export function allowedMethods(path: string, dashboard = true): readonly string[] {
  const exact = EXACT.get(path);
  if (exact) return exact;
  if (path.startsWith(MODEL_NAME_PREFIX) && path.length > MODEL_NAME_PREFIX.length) return READ;
  if (dashboard && path.startsWith(DASHBOARD_ASSETS_PREFIX) && path.length > DASHBOARD_ASSETS_PREFIX.length) return READ;
  return [];
}

/** The path of a request URL, without its query string. */
export const pathOf = (url: string): string => {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
};

/** A route pattern as metrics label it: the name route's wildcard written as the document writes it. */
export const routeLabel = (pattern: string): string => (pattern === `${MODEL_NAME_PREFIX}*` ? MODEL_NAME_ROUTE : pattern);
