// Layer boundaries: every import of every file under src/ (.ts and .tsx; tests beside the code included) follows the Layers table of
// ARCHITECTURE.md. The table is read, not copied: change the table and this test holds the code to the new one.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.join(import.meta.dirname, "..", "..");

/** The edges: they import the layers, and no layer imports them except through an entry file the table names. */
const EDGES = new Set(["http", "cli", "mcp", "dashboard"]);

/** The key of the row for files directly in src/ (the library entry). */
const SRC_FILES = "src/*.ts";

interface Rule {
  /** `src/estimate/`, or `src/*.ts` for the files directly in src/. */
  key: string;
  /** The layers (`estimate`) a file of this row may import. */
  layers: Set<string>;
  /** Single files (`src/http/agent.ts`) it may import besides: the entries of an edge. */
  files: Set<string>;
}

interface Import {
  /** The importing file, from the repository root: `src/catalog/gguf/file-quant.ts`. */
  from: string;
  /** The specifier as written: `../../estimate/quants.js`. */
  specifier: string;
}

/** Cells of one markdown table row (no escaped pipes in this table). */
const cells = (line: string): string[] => line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The Layers table: its folder column (first code span of the cell) and its "may import" column (every code span). */
function parseLayerTable(markdown: string): Map<string, Rule> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Layers\n"));
  if (section === undefined) throw new Error("ARCHITECTURE.md has no '## Layers' section");
  const lines = section.split("\n").filter((l) => l.trim().startsWith("|"));
  const header = cells(lines[0] ?? "");
  const folderCol = header.indexOf("folder");
  const importCol = header.indexOf("may import");
  if (folderCol < 0 || importCol < 0) throw new Error(`Layers table header lacks "folder" or "may import": ${header.join(" | ")}`);
  const rules = new Map<string, Rule>();
  for (const line of lines.slice(2)) {
    const row = cells(line);
    if (row.length !== header.length) throw new Error(`Layers table row has ${row.length} cells, not ${header.length}: ${line}`);
    const key = codeSpans(row[folderCol]!)[0];
    if (key === undefined || !(/^src\/[a-z-]+\/$/.test(key) || key === SRC_FILES)) throw new Error(`Layers table row names no folder: ${line}`);
    const spans = codeSpans(row[importCol]!);
    rules.set(key, { key, layers: new Set(spans.filter((s) => !s.endsWith(".ts"))), files: new Set(spans.filter((s) => s.endsWith(".ts"))) });
  }
  return rules;
}

/** `.js` specifiers name the source file: `.ts`, or `.tsx` where that is what exists (the dashboard's views). */
const sourceOf = (target: string): string => {
  const ts = target.replace(/\.js$/, ".ts");
  return existsSync(path.join(ROOT, ts)) || !existsSync(path.join(ROOT, `${ts}x`)) ? ts : `${ts}x`;
};

/** The row key of a path under src/: `src/estimate/` for src/estimate/placement/gpu.ts, `src/*.ts` for src/index.ts. */
const rowKeyOf = (file: string): string => {
  const parts = file.split("/");
  return parts.length === 2 ? SRC_FILES : `${parts[0]}/${parts[1]}/`;
};
/** `estimate` for `src/estimate/`. */
const layerName = (key: string): string => (key === SRC_FILES ? key : key.slice("src/".length, -1));

const describeRule = (rule: Rule): string => {
  const allowed = [...rule.layers, ...rule.files];
  return `${layerName(rule.key)} may import ${allowed.length === 0 ? "nothing" : allowed.join(", ")}`;
};

/**
 * The imports that break the table, one message each: "<file> imports <target>: <the rule>". Relative specifiers only
 * (packages and node: builtins are not layers); `.js` specifiers name the `.ts` source.
 */
function checkImports(rules: ReadonlyMap<string, Rule>, imports: readonly Import[]): string[] {
  const violations: string[] = [];
  for (const { from, specifier } of imports) {
    if (!specifier.startsWith(".")) continue;
    const target = sourceOf(path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)));
    const fromKey = rowKeyOf(from);
    const rule = rules.get(fromKey);
    if (rule === undefined) {
      violations.push(`${from}: ${fromKey} has no row in ARCHITECTURE.md's Layers table`);
      continue;
    }
    if (target.startsWith("test/")) {
      violations.push(`${from} imports ${target}: src never imports test/ (a test that needs test helpers lives in test/)`);
      continue;
    }
    if (!target.startsWith("src/")) {
      violations.push(`${from} imports ${target}: src imports nothing outside src/ but packages`);
      continue;
    }
    const toKey = rowKeyOf(target);
    if (toKey === fromKey || rule.files.has(target)) continue;
    const toLayer = layerName(toKey);
    if (EDGES.has(toLayer)) {
      violations.push(`${from} imports ${target}: ${describeRule(rule)} (${toLayer} is an edge: only the entry files a row names may be imported)`);
      continue;
    }
    if (!rule.layers.has(toLayer)) violations.push(`${from} imports ${target}: ${describeRule(rule)}`);
  }
  return violations;
}

/** Static imports, re-exports and dynamic `import()` of one source file, by the TypeScript compiler's pre-processor. */
const importsOf = (file: string, text: string): Import[] =>
  ts.preProcessFile(text, true, true).importedFiles.map((f) => ({ from: file, specifier: f.fileName }));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

const rules = parseLayerTable(readFileSync(path.join(ROOT, "ARCHITECTURE.md"), "utf8"));

describe("layer boundaries (ARCHITECTURE.md, Layers)", () => {
  it("the table has a row for every folder of src/ and for the files directly in it", () => {
    const folders = readdirSync(path.join(ROOT, "src"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `src/${e.name}/`);
    expect([...rules.keys()].sort()).toEqual([...folders, SRC_FILES].sort());
    // Every name the "may import" column uses is a row.
    for (const rule of rules.values()) {
      for (const layer of rule.layers) expect(rules.has(`src/${layer}/`), `${rule.key} names ${layer}`).toBe(true);
      for (const file of rule.files) expect(readdirSync(path.join(ROOT, path.dirname(file))), `${rule.key} names ${file}`).toContain(path.basename(file));
    }
  });

  it("every import under src/ follows the table", () => {
    const files = sourceFiles("src");
    const imports = files.flatMap((f) => importsOf(f, readFileSync(path.join(ROOT, f), "utf8")));
    expect(imports.length).toBeGreaterThan(500);
    expect(checkImports(rules, imports)).toEqual([]);
  });

  it("fails on a forbidden import, naming the file, the import and the rule", () => {
    const broken: Import[] = [
      { from: "src/catalog/gguf/file-quant.ts", specifier: "../../estimate/quants.js" },
      { from: "src/catalog/gguf/file-quant.ts", specifier: "../../domain/quants.js" },
      { from: "src/service/node-service.test.ts", specifier: "../../test/http/support/machine.js" },
      { from: "src/cli/commands/serve.ts", specifier: "../../http/listener.js" },
      { from: "src/cli/commands/serve.ts", specifier: "../../http/agent.js" },
      { from: "src/service/node-service.ts", specifier: "../http/agent.js" },
      { from: "src/plugins/tools.ts", specifier: "../service/node-service.js" },
      { from: "src/cli/commands/mcp.ts", specifier: "../../mcp/stdio.js" },
      { from: "src/cli/commands/mcp.ts", specifier: "../../mcp/server.js" },
      { from: "src/http/mcp-route.ts", specifier: "../mcp/streamable-http.js" },
      { from: "src/http/mcp-route.ts", specifier: "../mcp/stdio.js" },
      { from: "src/mcp/server.ts", specifier: "../http/openapi.js" },
      { from: "src/mcp/server.ts", specifier: "../service/node-service.js" },
      { from: "src/score/score.ts", specifier: "fastify" },
      { from: "src/dashboard/views/model.tsx", specifier: "../../domain/quants.js" },
      { from: "src/dashboard/views/model.tsx", specifier: "../../service/node-service.js" },
      { from: "src/http/dashboard.ts", specifier: "../dashboard/api.js" },
    ];
    expect(checkImports(rules, broken)).toEqual([
      "src/catalog/gguf/file-quant.ts imports src/estimate/quants.ts: catalog may import domain",
      "src/service/node-service.test.ts imports test/http/support/machine.ts: src never imports test/ (a test that needs test helpers lives in test/)",
      `src/cli/commands/serve.ts imports src/http/listener.ts: ${describeRule(rules.get("src/cli/")!)} (http is an edge: only the entry files a row names may be imported)`,
      `src/service/node-service.ts imports src/http/agent.ts: ${describeRule(rules.get("src/service/")!)} (http is an edge: only the entry files a row names may be imported)`,
      "src/plugins/tools.ts: src/plugins/ has no row in ARCHITECTURE.md's Layers table",
      // Each edge reaches mcp through its own entry only, and mcp reaches no other edge.
      `src/cli/commands/mcp.ts imports src/mcp/server.ts: ${describeRule(rules.get("src/cli/")!)} (mcp is an edge: only the entry files a row names may be imported)`,
      `src/http/mcp-route.ts imports src/mcp/stdio.ts: ${describeRule(rules.get("src/http/")!)} (mcp is an edge: only the entry files a row names may be imported)`,
      `src/mcp/server.ts imports src/http/openapi.ts: ${describeRule(rules.get("src/mcp/")!)} (http is an edge: only the entry files a row names may be imported)`,
      // The dashboard is a browser client: the quant ladders from domain, nothing else; http serves its files only.
      `src/dashboard/views/model.tsx imports src/service/node-service.ts: ${describeRule(rules.get("src/dashboard/")!)}`,
      `src/http/dashboard.ts imports src/dashboard/api.ts: ${describeRule(rules.get("src/http/")!)} (dashboard is an edge: only the entry files a row names may be imported)`,
    ]);
  });

  it("extracts static imports, type imports, re-exports and dynamic import()", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      'export { c } from "./c.js";',
      'export * from "./d.js";',
      'const e = await import("./e.js");',
    ].join("\n");
    expect(importsOf("src/x/y.ts", text).map((i) => i.specifier)).toEqual(["./a.js", "../b.js", "./c.js", "./d.js", "./e.js"]);
  });
});
