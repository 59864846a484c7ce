// Reference data access for tests: the public dev set beside the checkout (../shared/reference), read, never copied.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REFERENCE_DIR = fileURLToPath(new URL("../../../shared/reference/", import.meta.url));

/** Parses an RFC 4180 CSV file (quoted fields may hold commas) into objects keyed by the header. */
export function readReferenceCsv(name: string): Array<Record<string, string>> {
  const path = `${REFERENCE_DIR}${name}`;
  if (!existsSync(path)) throw new Error(`reference file ${path} is missing: tests need ../shared/reference beside the checkout`);
  const text = readFileSync(path, "utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (ch !== "\r") field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows;
  if (!head) return [];
  return body.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ""])));
}
