// Signals: SIGTERM / SIGINT close the agent gracefully; a second one, or a close that hangs, ends the process.
import { DEFAULT_DRAIN_MS } from "./limits.js";

/**
 * Closes the server on SIGTERM / SIGINT, then lets the process end. A second signal, or a close that takes
 * longer than `graceMs`, ends the process at once (the unix socket is still removed: see listener.ts). Returns a
 * function that stops listening for the signals.
 */
export function closeOnSignals(server: { close(): Promise<void> }, log: (message: string) => void, graceMs = DEFAULT_DRAIN_MS + 1_000): () => void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) process.exit(1);
    received = true;
    log(`${signal} received: closing`);
    const force = setTimeout(() => {
      log(`still closing after ${graceMs} ms: exiting`);
      process.exit(1);
    }, graceMs);
    force.unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
      },
      (e: unknown) => {
        log(`error while closing: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return () => {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  };
}
