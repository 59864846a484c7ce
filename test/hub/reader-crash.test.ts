// A GGUF header reader whose worker died while a Hub lookup waited on it (a crash, its heap cap): the lookup fails in
// words, as a busy reader does, and is not remembered, so the next request reads the header again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NodefitError } from "../../src/domain/errors.js";
import { HubModels } from "../../src/hub/hub.js";
import { hubSettings } from "../../src/hub/settings.js";
import { writeTinyGguf } from "../support/gguf-writer.js";
import { startTestHub, type TestHub } from "../support/hub-server.js";

const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../src/catalog/gguf/header-reader.js", async (original) => {
  const real = await original<typeof import("../../src/catalog/gguf/header-reader.js")>();
  return {
    ...real,
    ggufHeaderReader: () => ({
      read: () => {
        reads.count += 1;
        return Promise.reject(new NodefitError("internal", "the GGUF header reader stopped (exit code 134)"));
      },
    }),
  };
});

let dir = "";
let hub: TestHub;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-hub-crash-"));
  hub = await startTestHub({ "test-org/Tiny-GGUF": { files: { "tiny-Q4_0.gguf": { path: writeTinyGguf(join(dir, "tiny-Q4_0.gguf")) } } } });
});

afterAll(async () => {
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a header reader that crashed during a lookup", () => {
  it("is a failure in words, not an error the agent answers 500 with, and the next lookup tries again", async () => {
    const settings = { ...hubSettings({ NODEFIT_HUB_URL: hub.url }), cacheDir: null, timeoutMs: 1500 };
    const m = new HubModels(settings, { fetch: (url, init) => fetch(url, init), cache: null, now: () => Date.parse("2026-01-01T00:00:00Z") });
    const first = await m.lookup("test-org/Tiny-GGUF");
    expect(first).toEqual({ failure: expect.objectContaining({ reason: "the Hugging Face Hub's answer could not be read now: the GGUF header reader stopped (exit code 134)" }) });
    await m.lookup("test-org/Tiny-GGUF");
    expect(reads.count).toBe(2);
  });
});
