// The repository stands alone: no source, test, script, benchmark, CI file or package.json refers to a path outside
// it (a user's clone has nothing beside it), and the reference figures the tests read are the project's own files.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCommunityMemory, readCommunitySpeeds, readDecodeSpeeds, readGgufFileSizes, readMeasuredMemory } from "../support/reference.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCOPES = ["src", "test", "scripts", "bench", ".ci", "package.json"];

/** The folders beside the checkout that development machines have and users' clones do not (the reference data, tools). */
const OUTSIDE_NAMES = /\.\.\/shared\b|\bshared\/(?:reference|tools)\b/;
/** A relative path that starts by climbing (`..`, `../..`, ...), not a piece of a longer path, a spread or an ellipsis. */
const CLIMB = /(?<![\w.\/\\-])\.\.(?:\/\.\.)*(?![\w.])/g;
/** path.join style: `"..", ".."` as separate arguments. */
const CLIMB_ARGS = /(["'`])\.\.\1(?:\s*,\s*(["'`])\.\.\2)*/g;

/** Tracked files and new ones git does not ignore, so work not yet committed is held to the rule too. */
function repositoryFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...SCOPES], { cwd: ROOT, encoding: "utf8" });
  return [...new Set(out.split("\0").filter((f) => f !== ""))].sort();
}

/**
 * Why a line of `file` (a path from the repository root) refers outside the repository, or null. A climbing path
 * counts from the file's own folder (imports, `new URL(..., import.meta.url)`, a script's own folder); package.json's
 * scripts run from the root.
 */
export function outsideReference(file: string, line: string): string | null {
  const named = OUTSIDE_NAMES.exec(line);
  if (named) return `names ${named[0]}`;
  const depth = posix.dirname(file) === "." ? 0 : posix.dirname(file).split("/").length;
  const climbs = [...line.matchAll(CLIMB)].map((m) => m[0].split("/").length);
  const args = [...line.matchAll(CLIMB_ARGS)].map((m) => m[0].split(",").length);
  const most = Math.max(0, ...climbs, ...args);
  return most > depth ? `climbs ${most} folder(s) from a file ${depth} below the root` : null;
}

describe("the repository refers to nothing outside it", () => {
  it("finds the outside references a line can make", () => {
    const dots = ".".repeat(2);
    const up = (n: number): string => Array.from({ length: n }, () => dots).join("/");
    expect(outsideReference("test/support/x.ts", `new URL("${up(3)}/elsewhere/", import.meta.url)`)).toMatch(/climbs 3/);
    expect(outsideReference("test/cli/x.test.ts", `new URL("${up(2)}/dist/cli/main.js", import.meta.url)`)).toBeNull();
    expect(outsideReference("bench/x.mjs", "const tool = `${here}" + up(2) + "/tools/make.mjs`;")).toMatch(/climbs 2/);
    expect(outsideReference("scripts/x.mjs", `const dir = join(here, "${dots}", "${dots}", "data");`)).toMatch(/climbs 2/);
    expect(outsideReference("package.json", `"x": "node scripts/a.mjs ${up(1)}/data.csv"`)).toMatch(/climbs 1/);
    expect(outsideReference("test/x/y.test.ts", `const p = "${up(1)}/${"shared"}/data";`)).toMatch(/names/);
    expect(outsideReference("src/a/b.ts", `// data in ${"shared"}/${"reference"}`)).toMatch(/names/);
    // Not relative paths: an absolute path with dots inside, a spread, an ellipsis, a version range.
    expect(outsideReference("src/hardware/io.test.ts", `io.readFile("/proc/${up(2)}/machine.json")`)).toBeNull();
    expect(outsideReference("src/a.ts", "const all = [...rows, ...more]; // and so on...")).toBeNull();
    expect(outsideReference("package.json", '"node": "1..2 || >=24"')).toBeNull();
  });

  it("lists the repository's files with git", () => {
    const files = repositoryFiles();
    expect(files).toContain("package.json");
    expect(files).toContain("test/project/self-contained.test.ts");
  });

  it("no file under src/, test/, scripts/, bench/, .ci/ or package.json refers to a path outside the repository", () => {
    const offending: string[] = [];
    for (const file of repositoryFiles()) {
      const path = `${ROOT}${file}`;
      if (!existsSync(path)) continue; // deleted in the working tree, not yet in the index
      const text = readFileSync(path, "utf8");
      if (text.includes("\0")) continue; // binary
      text.split("\n").forEach((line, i) => {
        const why = outsideReference(file, line);
        if (why) offending.push(`${file}:${i + 1}: ${why}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(offending, `files that refer outside the repository:\n${offending.join("\n")}`).toEqual([]);
  });
});

describe("the reference figures the tests read are the project's own files", () => {
  const fixtures = [
    ["gguf-file-sizes.csv", readGgufFileSizes, ["source_url"]],
    ["measured-memory.csv", readMeasuredMemory, ["source_url"]],
    ["decode-speeds.csv", readDecodeSpeeds, ["source_url"]],
    ["community-speeds.csv", readCommunitySpeeds, ["source", "source_ref"]],
    ["community-memory.csv", readCommunityMemory, ["source", "source_ref"]],
  ] as const;

  it.each(fixtures)("%s is in the repository, reads with its typed columns, and names each row's public source", (file, read, source) => {
    expect(repositoryFiles()).toContain(`test/fixtures/reference/${file}`);
    const rows: ReadonlyArray<Readonly<Record<string, unknown>>> = read();
    expect(rows.length).toBeGreaterThan(0);
    const unsourced = rows.filter((row) => source.some((c) => row[c] === ""));
    expect(unsourced).toEqual([]);
  });
});
