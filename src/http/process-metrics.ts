// Process metrics: memory, CPU time, uptime and event-loop lag of this agent, read at each scrape.
import type { MetricsText } from "./metrics-text.js";

/**
 * Period of the event-loop lag sampler, ms: a timer that notes how late it fires. (perf_hooks'
 * monitorEventLoopDelay reports its own resolution when idle and, on Node 20, misses long blocks.)
 */
const LAG_SAMPLE_PERIOD_MS = 100;
const MS_PER_SECOND = 1000;
const US_PER_SECOND = 1e6;

export class ProcessMetrics {
  readonly #startTimeSeconds = Date.now() / 1000 - process.uptime();
  #timer: NodeJS.Timeout | null = null;
  #expectedAt = 0;
  #lastLagMs = 0;
  #maxLagMs = 0;
  #sumLagMs = 0;
  #samples = 0;

  /** Starts the event-loop lag sampler (idempotent; its timer never keeps the process alive). */
  start(): void {
    if (this.#timer) return;
    this.#schedule();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    this.#expectedAt = performance.now() + LAG_SAMPLE_PERIOD_MS;
    this.#timer = setTimeout(() => this.#sample(), LAG_SAMPLE_PERIOD_MS);
    this.#timer.unref();
  }

  #sample(): void {
    const lag = Math.max(0, performance.now() - this.#expectedAt);
    this.#lastLagMs = lag;
    this.#maxLagMs = Math.max(this.#maxLagMs, lag);
    this.#sumLagMs += lag;
    this.#samples += 1;
    this.#schedule();
  }

  write(out: MetricsText): void {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    out
      .single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", mem.rss)
      .single("nodejs_heap_size_used_bytes", "gauge", "V8 heap in use, bytes.", mem.heapUsed)
      .single("nodejs_heap_size_total_bytes", "gauge", "V8 heap allocated, bytes.", mem.heapTotal)
      .single("nodejs_external_memory_bytes", "gauge", "Memory of C++ objects bound to JavaScript objects (buffers included), bytes.", mem.external)
      .single("process_cpu_user_seconds_total", "counter", "User CPU time spent, seconds.", cpu.user / US_PER_SECOND)
      .single("process_cpu_system_seconds_total", "counter", "System CPU time spent, seconds.", cpu.system / US_PER_SECOND)
      .single("process_cpu_seconds_total", "counter", "User and system CPU time spent, seconds.", (cpu.user + cpu.system) / US_PER_SECOND)
      .single("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, seconds.", Math.round(this.#startTimeSeconds))
      .single("process_uptime_seconds", "gauge", "Seconds since the process started.", process.uptime());

    if (this.#samples > 0) {
      out
        .single("nodejs_eventloop_lag_seconds", "gauge", `How late the last ${LAG_SAMPLE_PERIOD_MS} ms timer fired, seconds.`, this.#lastLagMs / MS_PER_SECOND)
        .single("nodejs_eventloop_lag_mean_seconds", "gauge", "Mean event-loop lag since the last scrape, seconds.", this.#sumLagMs / this.#samples / MS_PER_SECOND)
        .single("nodejs_eventloop_lag_max_seconds", "gauge", "Largest event-loop lag since the last scrape, seconds.", this.#maxLagMs / MS_PER_SECOND);
      this.#maxLagMs = 0;
      this.#sumLagMs = 0;
      this.#samples = 0;
    }
  }
}
