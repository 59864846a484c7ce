// Route table: every path the API knows and its methods, for 405 answers with an `Allow` header.

export const API_PREFIX = "/api/v1";
/** Everything after this prefix is a model name (`%2F` or a plain `/` inside it alike). */
export const MODEL_NAME_PREFIX = `${API_PREFIX}/models/`;

const READ = ["GET", "HEAD"] as const;

const EXACT: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ["/", READ],
  ["/health", READ],
  [`${API_PREFIX}/system`, READ],
  [`${API_PREFIX}/models`, READ],
  [`${API_PREFIX}/models/top`, READ],
  [`${API_PREFIX}/estimate`, ["POST"]],
]);

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
