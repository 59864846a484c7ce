// Envelope cache: the serialized bytes of model answers per (hardware snapshot, request URL), least recently used out.

/**
 * A snapshot is one Machine object: the service installs a new one on every refresh (its `snapshot_at` changes
 * even when nothing else does), so the cache empties itself as soon as it is asked about a newer machine.
 * Bounded in entries and in bytes, since `search` and `max_context` are free-form.
 */
export class EnvelopeCache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #snapshot: object | null = null;
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(maxEntries: number, maxBytes: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError("envelope cache entries must be an integer >= 0");
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError("envelope cache bytes must be >= 0");
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(snapshot: object, key: string): Buffer | undefined {
    if (snapshot !== this.#snapshot) return undefined;
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Stores `body` unless it alone would take more than a quarter of the byte budget. */
  set(snapshot: object, key: string, body: Buffer): void {
    if (snapshot !== this.#snapshot) {
      this.#entries.clear();
      this.#bytes = 0;
      this.#snapshot = snapshot;
    }
    if (this.#maxEntries === 0 || body.length > this.#maxBytes / 4) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= previous.length;
    }
    this.#entries.set(key, body);
    this.#bytes += body.length;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value[0]);
      this.#bytes -= oldest.value[1].length;
    }
  }
}
