// HTTP metrics: requests by route, method and status, and a latency histogram by route and method, kept in memory.
import type { MetricsText } from "./metrics-text.js";

/** Upper bounds in seconds: the agent answers from memory, so most requests fall in the first buckets. */
export const DURATION_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** Methods kept as labels; anything else is counted as "other", so a client cannot grow the label set. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);
/** Route label of a request no route matched (404s, 405s, early rejections). */
export const UNMATCHED_ROUTE = "unmatched";

interface RequestCount {
  route: string;
  method: string;
  status: string;
  count: number;
}

interface DurationHistogram {
  route: string;
  method: string;
  /** Observations per bucket (not cumulative), plus one for above the last bound. */
  buckets: number[];
  sum: number;
  count: number;
}

export class HttpMetrics {
  /** route -> method -> status -> count, and route -> method -> histogram: no string building per request. */
  readonly #requests = new Map<string, Map<string, Map<number, RequestCount>>>();
  readonly #durations = new Map<string, Map<string, DurationHistogram>>();

  /** Records one answered request. `route` is the matched route pattern (or UNMATCHED_ROUTE). */
  observe(route: string, rawMethod: string, statusCode: number, seconds: number): void {
    const method = KNOWN_METHODS.has(rawMethod) ? rawMethod : "other";
    let byMethod = this.#requests.get(route);
    if (!byMethod) this.#requests.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    const count = byStatus.get(statusCode);
    if (count) count.count += 1;
    else byStatus.set(statusCode, { route, method, status: String(statusCode), count: 1 });

    let histograms = this.#durations.get(route);
    if (!histograms) this.#durations.set(route, (histograms = new Map()));
    let h = histograms.get(method);
    if (!h) {
      h = { route, method, buckets: new Array<number>(DURATION_BUCKETS_SECONDS.length + 1).fill(0), sum: 0, count: 0 };
      histograms.set(method, h);
    }
    let i = 0;
    while (i < DURATION_BUCKETS_SECONDS.length && seconds > DURATION_BUCKETS_SECONDS[i]!) i++;
    h.buckets[i]! += 1;
    h.sum += seconds;
    h.count += 1;
  }

  write(out: MetricsText): void {
    out.family("nodefit_http_requests_total", "counter", "HTTP requests answered, by route pattern, method and status code.");
    for (const byMethod of this.#requests.values())
      for (const byStatus of byMethod.values())
        for (const r of byStatus.values()) out.sample("nodefit_http_requests_total", r.count, { route: r.route, method: r.method, status: r.status });

    const name = "nodefit_http_request_duration_seconds";
    out.family(name, "histogram", "Time from the first byte of a request to the end of its answer, by route pattern and method.");
    for (const h of [...this.#durations.values()].flatMap((m) => [...m.values()])) {
      let cumulative = 0;
      for (const [i, bound] of DURATION_BUCKETS_SECONDS.entries()) {
        cumulative += h.buckets[i]!;
        out.sample(`${name}_bucket`, cumulative, { route: h.route, method: h.method, le: String(bound) });
      }
      out.sample(`${name}_bucket`, h.count, { route: h.route, method: h.method, le: "+Inf" });
      out.sample(`${name}_sum`, h.sum, { route: h.route, method: h.method });
      out.sample(`${name}_count`, h.count, { route: h.route, method: h.method });
    }
  }
}
