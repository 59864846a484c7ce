import { describe, expect, it } from "vitest";
import { readCappedText } from "./capped-body.js";

/** A body of `chunks` chunks of `size` bytes ("a"), counting the chunks pulled and whether the transfer was cancelled. */
function body(chunks: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= chunks) return controller.close();
      seen.pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { res: new Response(stream), seen };
}

describe("readCappedText", () => {
  it("reads a small body whole", async () => {
    const { res, seen } = body(3, 10);
    expect(await readCappedText(res, 1000)).toBe("a".repeat(30));
    expect(seen.pulled).toBe(3);
  });

  it("stops at the cap: the rest is never pulled, the transfer is cancelled", async () => {
    const { res, seen } = body(1_000_000, 1024);
    const text = await readCappedText(res, 4096);
    expect(text).toBe("a".repeat(4096));
    expect(seen.pulled).toBeLessThanOrEqual(6);
    expect(seen.cancelled).toBe(true);
  });

  it("stops when its signal aborts, and an empty body is empty", async () => {
    const gone = new AbortController();
    gone.abort();
    const { res, seen } = body(1_000_000, 1024);
    expect(await readCappedText(res, 1 << 20, gone.signal)).toBe("");
    expect(seen.cancelled).toBe(true);
    expect(await readCappedText(new Response(null), 10)).toBe("");
  });
});
