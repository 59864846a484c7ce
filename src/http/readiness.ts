// Readiness: the agent is ready once the first hardware snapshot exists and the default analysis is cached.
import type { NodeService } from "../service/node-service.js";
import { errorReply } from "./error-reply.js";

export interface ReadinessChecks {
  hardware_snapshot: boolean;
  default_analysis: boolean;
}

export interface ReadinessState {
  ready: boolean;
  checks: ReadinessChecks;
  /** Why it is not ready yet (null when ready). */
  reason: string | null;
}

/**
 * Tracks the two start-up steps without ever making a caller wait on them. A failed first scan is retried when
 * readiness is next asked (the service forgets a failed scan, so asking again starts a new one).
 */
export class Readiness {
  readonly #service: NodeService;
  #snapshot = false;
  #analysis = false;
  #attempt: Promise<void> | null = null;
  readonly #onError: (error: unknown) => void;
  /** What a client may read about the last failure (the error mapping's text: internals stay in the log). */
  #lastError: string | null = null;

  constructor(service: NodeService, onError: (error: unknown) => void = () => {}) {
    this.#service = service;
    this.#onError = onError;
  }

  /** True once the first snapshot exists: from then on `service.machine()` answers at once. */
  get hasSnapshot(): boolean {
    return this.#snapshot;
  }

  get ready(): boolean {
    return this.#snapshot && this.#analysis;
  }

  /** Starts (or restarts after a failure) the steps in the background. Idempotent. */
  start(): void {
    if (this.ready || this.#attempt !== null) return;
    this.#attempt = this.#service
      .machine()
      .then(() => {
        this.#snapshot = true;
        return this.#service.rows(null, null);
      })
      .then(
        () => {
          this.#analysis = true;
          this.#lastError = null;
        },
        (e: unknown) => {
          this.#lastError = errorReply(e).body.error;
          this.#onError(e);
        },
      )
      .finally(() => {
        this.#attempt = null;
      });
  }

  /** The current state; starts a new attempt when the last one failed. */
  state(): ReadinessState {
    if (!this.ready) this.start();
    const checks = { hardware_snapshot: this.#snapshot, default_analysis: this.#analysis };
    if (this.ready) return { ready: true, checks, reason: null };
    const step = this.#snapshot ? "the default analysis" : "the first hardware snapshot";
    const reason = this.#lastError === null ? `waiting for ${step}` : `${step} failed (retrying): ${this.#lastError}`;
    return { ready: false, checks, reason };
  }

  /** Resolves when the current attempt ends (tests and the server's start-up log). */
  async settled(): Promise<void> {
    await this.#attempt;
  }
}
