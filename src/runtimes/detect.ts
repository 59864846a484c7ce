// Runtime detection: one round of probes (every endpoint at once, beside the process list), then the endpoints the
// runtimes' own command lines give, then one entry per runtime found. Bounded: each request has a short timeout, a
// round makes at most two waves of requests, the second at most MAX_PROCESS_ENDPOINTS endpoints and only on this host
// (any local user can start a process named llama-server with any --host), and the warnings are capped and cut.
import os from "node:os";
import { isLoopbackHost } from "../domain/loopback.js";
import { MAX_WARNING_CHARS, boundWarnings } from "../hardware/warnings.js";
import { DEFAULT_PORTS, normalizeBaseUrl } from "./endpoints.js";
import { roundGetter, RUNTIME_PROBE_TIMEOUT_MS, type FetchFn } from "./http-get.js";
import type { ProcessListing } from "./process-list.js";
import { redactShown } from "../domain/redact.js";
import { runtimeProcesses } from "./processes.js";
import { PROBES, type ProbeResult } from "./probes.js";
import {
  RUNTIME_KIND_LABELS,
  RUNTIME_KINDS,
  type DetectedRuntime,
  type EndpointOutcome,
  type EndpointSource,
  type LoadedModel,
  type RuntimeEndpoint,
  type RuntimeKind,
  type RuntimeProcess,
  type RuntimeSnapshot,
} from "./types.js";

export interface RuntimeDetectOptions {
  /** The first wave (endpointsToProbe). */
  endpoints: readonly RuntimeEndpoint[];
  /** Runtimes not to probe at all, their processes included (`NAME=off`). */
  off: readonly RuntimeKind[];
  fetch: FetchFn;
  timeoutMs?: number;
  listProcesses: () => Promise<ProcessListing>;
  /** Made ready before the round's clocks start (the global fetch's client loaded). */
  warmUp?: () => Promise<void>;
  /** This process, left out of the list. */
  selfPid: number;
  now: () => Date;
  /**
   * This host's interface addresses (default: os.networkInterfaces()). A process's `--host` is probed only when it is
   * loopback, an any-address (probed on loopback) or one of these: never another machine.
   */
  localAddresses?: () => readonly string[];
}

/**
 * Endpoints a round takes from processes' command lines, at most: a node runs a few runtime servers (one per GPU at
 * most, in practice); past this, processes are reported but their ports not probed, and a warning says how many.
 */
export const MAX_PROCESS_ENDPOINTS = 16;

/** Warnings a runtime snapshot keeps, each cut to MAX_WARNING_CHARS (hardware/warnings.ts): the last says how many more. */
export const MAX_RUNTIME_WARNINGS = 16;

/** Addresses, pids and endpoints one warning lists before "and N more". */
const LISTED_IN_WARNING = 4;

/** Models kept per runtime in an answer: a server in llama.cpp's router mode may list many; what is loaded is a few. */
const MAX_LOADED_PER_RUNTIME = 64;

/** Processes kept per runtime in an answer (LM Studio and vLLM run several). */
const MAX_PROCESSES_PER_RUNTIME = 8;

/** The address a server listening on `host` is reached at from this host. */
function localAddress(host: string | null): string {
  if (host === null || isAnyAddress(host)) return host !== null && bare(host) === "::" ? "[::1]" : "127.0.0.1";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** A host as compared: lower case, without IPv6 brackets or a zone (`[FE80::1%eth0]` -> `fe80::1`). */
const bare = (host: string): string => host.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "").toLowerCase();

const isAnyAddress = (host: string): boolean => {
  const h = bare(host);
  return h === "" || h === "*" || h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
};


/** This host's interface addresses, as compared (none when the system will not list them). */
function interfaceAddresses(): string[] {
  try {
    return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  } catch {
    return [];
  }
}

/** Whether a process's listen address is on this host: loopback, an any-address, or one of its interfaces' addresses. */
const onThisHost = (host: string | null, local: ReadonlySet<string>): boolean => host === null || isAnyAddress(host) || isLoopbackHost(host) || local.has(bare(host));

const portOfUrl = (url: string): number | null => {
  try {
    const u = new URL(url);
    return u.port === "" ? (u.protocol === "https:" ? 443 : 80) : Number(u.port);
  } catch {
    return null;
  }
};

/** The endpoint a runtime process serves at, by its command line (`--host`, `--port`) and the runtime's default port. */
function processEndpoint(p: RuntimeProcess & { host: string | null }): RuntimeEndpoint | null {
  if (p.kind === "ollama" || p.kind === "lmstudio") return null; // their ports are set elsewhere (OLLAMA_HOST, the app)
  if (p.port === null && p.command.startsWith("VLLM::")) return null;
  const url = normalizeBaseUrl(`http://${localAddress(p.host)}:${p.port ?? DEFAULT_PORTS[p.kind]}`);
  return url === null ? null : { kind: p.kind, url, source: "process" };
}

const label = (kind: RuntimeKind): string => RUNTIME_KIND_LABELS[kind];

/** Who named an endpoint a warning is about (a default or OLLAMA_HOST's is not worth one when it fails: null). */
const GIVEN_BY: Readonly<Record<EndpointSource, string | null>> = {
  default: null,
  OLLAMA_HOST: null,
  flag: "--runtime-endpoint",
  env: "NODEFIT_RUNTIME_ENDPOINTS",
  config: "runtime_endpoints in the config file",
  process: "from its process's command line",
};

/** One probe round. Never throws: whatever fails is an endpoint status or a warning. */
export async function detectRuntimes(o: RuntimeDetectOptions): Promise<RuntimeSnapshot> {
  await o.warmUp?.();
  const started = performance.now();
  const get = roundGetter(o.fetch, o.timeoutMs ?? RUNTIME_PROBE_TIMEOUT_MS);
  const warnings: string[] = [];
  const probed: Array<{ endpoint: RuntimeEndpoint; result: ProbeResult }> = [];
  const probe = async (endpoint: RuntimeEndpoint): Promise<void> => {
    probed.push({ endpoint, result: await PROBES[endpoint.kind](endpoint.url, get) });
  };
  const local = new Set((o.localAddresses ?? interfaceAddresses)().map(bare));
  const first = o.endpoints.filter((e) => !o.off.includes(e.kind));
  const [listing] = await Promise.all([o.listProcesses().catch((e: unknown) => ({ entries: null, warning: `process list failed: ${String(e)}` })), ...first.map(probe)]);
  if (listing.warning !== null) warnings.push(listing.warning);
  const processes = listing.entries === null ? [] : runtimeProcesses(listing.entries, o.selfPid).filter((p) => !o.off.includes(p.kind));

  // Second wave: where the runtimes' own command lines say they listen, if not probed already; only on this host, and
  // at most MAX_PROCESS_ENDPOINTS of them.
  const seen = new Set(probed.map((p) => `${p.endpoint.kind} ${p.endpoint.url}`));
  const second: RuntimeEndpoint[] = [];
  const elsewhere = new Map<RuntimeKind, { pids: number[]; hosts: Set<string> }>();
  let unprobed = 0;
  for (const p of processes) {
    if (!onThisHost(p.host, local)) {
      const e = elsewhere.get(p.kind) ?? { pids: [], hosts: new Set<string>() };
      e.pids.push(p.pid);
      e.hosts.add(redactShown(p.host!, MAX_WARNING_CHARS / 4));
      elsewhere.set(p.kind, e);
      continue;
    }
    const e = processEndpoint(p);
    if (e === null || seen.has(`${e.kind} ${e.url}`)) continue;
    seen.add(`${e.kind} ${e.url}`);
    if (second.length < MAX_PROCESS_ENDPOINTS) second.push(e);
    else unprobed++;
  }
  await Promise.all(second.map(probe));
  probed.sort((a, b) => RUNTIME_KINDS.indexOf(a.endpoint.kind) - RUNTIME_KINDS.indexOf(b.endpoint.kind));

  const endpoints: EndpointOutcome[] = probed.map(({ endpoint, result }) => ({ endpoint, status: result.status, latencyMs: result.latencyMs, error: result.error }));
  const runtimes: DetectedRuntime[] = [];
  for (const [kind, e] of elsewhere) {
    const hosts = [...e.hosts];
    warnings.push(
      `${label(kind)} process${e.pids.length === 1 ? "" : "es"} (pid ${listed(e.pids)}) give${e.pids.length === 1 ? "s" : ""} a --host that is not this node's (${listed(hosts)}): not probed, as nodefit probes only this host; give its address with --runtime-endpoint ${kind}=URL if it serves here`,
    );
  }
  if (unprobed > 0)
    warnings.push(`${unprobed} more endpoint${unprobed === 1 ? "" : "s"} named by runtime processes' command lines not probed: at most ${MAX_PROCESS_ENDPOINTS} a round (give the ones that matter with --runtime-endpoint)`);
  for (const { endpoint, result } of probed) {
    const named = GIVEN_BY[endpoint.source];
    if (result.status === "timeout") warnings.push(`${label(endpoint.kind)} at ${endpoint.url} did not answer within ${o.timeoutMs ?? RUNTIME_PROBE_TIMEOUT_MS} ms: a hung endpoint, probed again at the next refresh`);
    else if (result.status !== "answered" && result.status !== "refused" && named !== null) warnings.push(`${label(endpoint.kind)} at ${endpoint.url} (${named}): ${result.error}`);
    else if (result.status === "refused" && named !== null && endpoint.source !== "process") warnings.push(`${label(endpoint.kind)} at ${endpoint.url}: connection refused (not running?)`);
    if (result.status !== "answered" || result.facts === null) continue;
    // The same server reached by two of its addresses is one runtime.
    if (runtimes.some((r) => r.kind === endpoint.kind && r.endpoint?.url === endpoint.url)) continue;
    const loaded = result.facts.loaded.slice(0, MAX_LOADED_PER_RUNTIME);
    runtimes.push({ kind: endpoint.kind, endpoint, status: "running", version: result.facts.version, loaded, available: result.facts.available, processes: [], details: result.facts.details });
  }

  // Each process joins the runtime it serves: by port where its command line or the default gives one, else the first
  // running runtime of its kind. Processes of a runtime no endpoint answered for, and those that name another host,
  // are reported as such.
  const orphans = new Map<RuntimeKind, { list: RuntimeProcess[]; count: number }>();
  for (const p of processes) {
    const { host: _host, ...proc } = p;
    const here = onThisHost(p.host, local);
    const endpoint = here ? processEndpoint(p) : null;
    const port = endpoint === null ? null : portOfUrl(endpoint.url);
    const home = here ? runtimes.find((r) => r.kind === p.kind && (port === null || (r.endpoint !== null && portOfUrl(r.endpoint.url) === port))) : undefined;
    if (home) {
      if (home.processes.length < MAX_PROCESSES_PER_RUNTIME) home.processes.push(proc);
    } else {
      const o = orphans.get(p.kind) ?? { list: [], count: 0 };
      o.count++;
      if (o.list.length < MAX_PROCESSES_PER_RUNTIME) o.list.push(proc);
      orphans.set(p.kind, o);
    }
  }
  for (const r of runtimes) {
    // mlx_lm.server's API does not say which model it serves: its command line does.
    if (r.kind === "mlx" && r.loaded.length === 0) r.loaded = distinctModels(r.processes);
  }
  for (const kind of RUNTIME_KINDS) {
    const orphan = orphans.get(kind);
    if (!orphan) continue;
    const { list, count } = orphan;
    const tried = probed.filter((p) => p.endpoint.kind === kind).map((p) => `${p.endpoint.url}: ${p.result.error ?? p.result.status}`);
    const pids = listed(list.map((p) => p.pid), count);
    warnings.push(`${label(kind)} runs (pid ${pids}) but no endpoint answered${tried.length ? ` (${listed(tried, tried.length, "; ", 2)})` : ""}; give its address with --runtime-endpoint ${kind}=URL`);
    runtimes.push({ kind, endpoint: null, status: "process_only", version: null, loaded: [], available: null, processes: list, details: {} });
  }
  runtimes.sort((a, b) => RUNTIME_KINDS.indexOf(a.kind) - RUNTIME_KINDS.indexOf(b.kind));
  return {
    checkedAt: o.now(),
    durationMs: Math.round(performance.now() - started),
    runtimes,
    endpoints,
    processesListed: listing.entries !== null,
    warnings: boundWarnings(warnings, MAX_RUNTIME_WARNINGS, "", (n) => `… and ${n} more warning${n === 1 ? "" : "s"} about runtimes`),
  };
}

/** The first few of a list, then how many more (`total`: the whole count, when `items` holds only some). */
function listed(items: readonly (string | number)[], total: number = items.length, sep = ", ", most = LISTED_IN_WARNING): string {
  const shown = items.slice(0, most).map((i) => (typeof i === "string" && i.length > MAX_WARNING_CHARS / 4 ? `${i.slice(0, MAX_WARNING_CHARS / 4 - 1)}…` : String(i)));
  return total > shown.length ? `${shown.join(sep)}${sep}… ${total - shown.length} more` : shown.join(sep);
}

function distinctModels(processes: readonly RuntimeProcess[]): LoadedModel[] {
  const names = [...new Set(processes.map((p) => p.model).filter((m): m is string => m !== null))];
  return names.map((name) => ({ name, sizeBytes: null, vramBytes: null, contextLength: null, quant: null, expiresAt: null }));
}
