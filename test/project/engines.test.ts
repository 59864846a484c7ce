// Install: every Node.js version package.json's `engines` claims satisfies every locked package's own `engines`,
// so `npm ci` on a supported Node prints no EBADENGINE warning.
import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL("package-lock.json", root), "utf8")) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

describe("engines", () => {
  it("package.json names a valid Node.js range", () => {
    expect(semver.validRange(pkg.engines.node)).not.toBeNull();
  });

  it("every locked package accepts every Node.js version nodefit claims", () => {
    const narrower = Object.entries(lock.packages)
      .map(([path, p]) => ({ path, range: Array.isArray(p.engines) ? undefined : p.engines?.node }))
      .filter((p): p is { path: string; range: string } => p.range !== undefined && !semver.subset(pkg.engines.node, p.range))
      .map((p) => `${p.path} wants node ${p.range}`);
    expect(narrower).toEqual([]);
  });
});
