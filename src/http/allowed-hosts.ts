// Allowed hosts: the Host names the agent answers, so a DNS-rebinding web page cannot read a token-less agent.
import { isIP } from "node:net";
import { NodefitError } from "../domain/errors.js";
import { isLoopbackHost } from "../domain/loopback.js";
import type { ListenTarget } from "./listen-target.js";

/**
 * The Host names answered (null: any). A page on `http://evil.example:8787` whose name its owner re-points at
 * 127.0.0.1 is same-origin with the agent for the browser, which then lets it read every answer; its requests still
 * say `Host: evil.example:8787`. So an agent that anyone on this machine may read (no token, on loopback) answers only
 * loopback names, IP addresses (a rebinding page always has a DNS name) and the names it is given.
 */
export interface HostPolicy {
  /** Names given, lowercased, without port. */
  readonly names: ReadonlySet<string>;
  /** `.example.com` given: that name and every name under it. */
  readonly suffixes: readonly string[];
  /** What a refused client is told to do. */
  readonly hint: string;
}

/** Names given to answer besides loopback names and IP addresses, parsed (`parseAllowedHosts`). */
export interface AllowedHosts {
  /** Names, lowercased, without port. */
  readonly names: ReadonlySet<string>;
  /** `.example.com` given: that name and every name under it. */
  readonly suffixes: readonly string[];
  /** `*` given: any Host. */
  readonly any: boolean;
}

export const NO_ALLOWED_HOSTS: AllowedHosts = { names: new Set(), suffixes: [], any: false };

export interface HostPolicyInput {
  target: ListenTarget;
  /** An access token guards the API: a rebinding page cannot know it. */
  tokenSet: boolean;
  /** The names given, parsed; or `--allowed-host` values, each comma-separated, parsed here (naming `allowed-host`). */
  allowed: AllowedHosts | readonly string[];
}

/** Status of a refused Host: the request is understood and will not be answered for that name. */
export const HOST_REFUSED_STATUS = 403;

const ACCEPTED = "a host name like nodefit.internal (any port), .example.com for it and every name under it, or * for any host";

/**
 * The host name of a Host header (or a `--allowed-host` value): lowercased, without port, brackets or a final dot;
 * null when it is not a plain name or address.
 */
export function hostName(value: string): string | null {
  let h = value.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    if (end === -1 || !/^(?::\d{1,5})?$/.test(h.slice(end + 1))) return null;
    h = h.slice(1, end);
    return isIP(h) === 6 ? h : null;
  }
  const colon = h.lastIndexOf(":");
  if (colon !== -1) {
    if (!/^\d{1,5}$/.test(h.slice(colon + 1))) return null;
    h = h.slice(0, colon);
  }
  if (h.endsWith(".")) h = h.slice(0, -1);
  return /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(h) ? h : null;
}

/**
 * Parses allowed Host names: each value comma-separated (`--allowed-host` values, NODEFIT_ALLOWED_HOSTS' value, the
 * config file's `allowed_hosts`). `key` names where they came from in the error a bad one gets.
 */
export function parseAllowedHosts(values: readonly string[], key = "allowed-host"): AllowedHosts {
  const items = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  const names = new Set<string>();
  const suffixes: string[] = [];
  for (const item of items) {
    if (item === "*") continue;
    const name = hostName(item.startsWith(".") ? item.slice(1) : item);
    if (name === null || (item.startsWith(".") && isIP(name) !== 0))
      throw new NodefitError("invalid_argument", `invalid ${key} value ${JSON.stringify(item)}: use ${ACCEPTED}`, { key });
    if (item.startsWith(".")) suffixes.push(name);
    else names.add(name);
  }
  return { names, suffixes, any: items.includes("*") };
}

/** The names as they are given back: `a.internal`, `.example.com`, `*`. */
export const allowedHostsList = (a: AllowedHosts): string[] => [...a.names, ...a.suffixes.map((s) => `.${s}`), ...(a.any ? ["*"] : [])];

/**
 * The policy for a listen target: null (any Host) on a unix socket (no browser reaches one), with `*`, and by default
 * when a token is set or the address is not loopback (a non-loopback agent is meant to be reached by names this
 * machine cannot know; naming them with --allowed-host turns the check on there too).
 */
export function hostPolicy(input: HostPolicyInput): HostPolicy | null {
  const allowed = "names" in input.allowed ? input.allowed : parseAllowedHosts(input.allowed);
  const given = allowed.names.size > 0 || allowed.suffixes.length > 0 || allowed.any;
  if (input.target.kind === "unix" || allowed.any) return null;
  if (!given && (input.tokenSet || !isLoopbackHost(input.target.host))) return null;
  const hint = !given
    ? "start the agent with --allowed-host NAME (or NODEFIT_ALLOWED_HOSTS=NAME, or allowed_hosts in its config file), or set an access token"
    : "add NAME to --allowed-host (or NODEFIT_ALLOWED_HOSTS, or allowed_hosts in the config file)";
  return { names: allowed.names, suffixes: allowed.suffixes, hint };
}

/** Whether a request with this Host header is answered. No Host (HTTP/1.0) is: a browser always sends one. */
export function hostAllowed(policy: HostPolicy | null, host: string | undefined): boolean {
  if (policy === null || host === undefined) return true;
  const name = hostName(host);
  if (name === null) return false;
  if (isIP(name) !== 0 || isLoopbackHost(name) || policy.names.has(name)) return true;
  return policy.suffixes.some((s) => name === s || name.endsWith(`.${s}`));
}

/** The error a refused Host is answered with (status HOST_REFUSED_STATUS, through the one error mapping). */
export function hostRefusal(policy: HostPolicy, host: string | undefined): Error & { statusCode: number } {
  const name = host === undefined ? null : hostName(host);
  const what = name === null ? "this Host header" : `host ${JSON.stringify(name)}`;
  const fix = name === null ? policy.hint : policy.hint.replaceAll("NAME", name);
  const message = `${what} is not allowed (this agent answers only the names it is given, against DNS rebinding): ${fix}`;
  return Object.assign(new Error(message), { statusCode: HOST_REFUSED_STATUS });
}
