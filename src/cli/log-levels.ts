// The log levels nodefit's agent takes (pino's), in a module that imports nothing, so `--help` lists them without
// loading the settings.
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
