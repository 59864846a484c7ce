// Catalog loading: parse and validate a catalog file's text, and merge user entries over the bundled ones.
import { NodefitError } from "../domain/errors.js";
import { CatalogFileSchema, type ModelSpec } from "./schema.js";

/** Parses a catalog file (`{"description", "models": [...]}`); `label` names it in errors. */
export function parseCatalogFile(text: string, label: string): ModelSpec[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NodefitError("invalid_catalog", `${label}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = CatalogFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") : "";
    const models = (json as { models?: Array<{ id?: unknown }> }).models;
    const index = issue && issue.path[0] === "models" ? Number(issue.path[1]) : NaN;
    const id = Number.isInteger(index) ? models?.[index]?.id : undefined;
    throw new NodefitError(
      "invalid_catalog",
      `${label}: ${id ? `model ${String(id)}: ` : ""}${where}: ${issue?.message ?? "invalid"}`,
      { issues: parsed.error.issues.slice(0, 5) },
    );
  }
  const seen = new Set<string>();
  for (const m of parsed.data.models) {
    const key = m.id.toLowerCase();
    if (seen.has(key)) throw new NodefitError("invalid_catalog", `${label}: model ${m.id} appears twice`);
    seen.add(key);
  }
  return parsed.data.models;
}

/** User entries replace bundled entries with the same id (case-insensitive) and add the rest. */
export function mergeCatalogs(bundled: readonly ModelSpec[], user: readonly ModelSpec[]): ModelSpec[] {
  const byId = new Map<string, ModelSpec>();
  for (const m of bundled) byId.set(m.id.toLowerCase(), m);
  for (const m of user) byId.set(m.id.toLowerCase(), m);
  return [...byId.values()];
}
