// A fetch answer's body read within a byte cap: what every HTTP client of nodefit (runtime probes, bench runners) keeps.

/**
 * The first `maxBytes` of a Response's body as UTF-8 text; the transfer is cancelled once the cap is reached (the rest
 * is never downloaded), and stops early when `signal` aborts. An empty body is "".
 */
export async function readCappedText(res: Response, maxBytes: number, signal?: AbortSignal): Promise<string> {
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes && signal?.aborted !== true) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
}
