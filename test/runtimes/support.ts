// Test support: recorded runtime answers replayed through the probes' injected fetch, and process lists.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FetchFn } from "../../src/runtimes/http-get.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/runtimes/", import.meta.url));
export const fixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, "utf8");

type Answers = Record<string, Record<string, { status: number; body: string }>>;
export const ANSWERS = JSON.parse(fixture("answers.json")) as Answers;

/** What a base URL does: answer as one of the recorded servers, refuse, hang (never answer), or fail otherwise. */
export type Behaviour = { server: keyof typeof ANSWERS | string } | "refused" | "hang" | "error";

/**
 * A fetch that answers each base URL as told: the recorded answers of a server (404 for a path it has none for),
 * ECONNREFUSED as Node's fetch raises it, or a request that never answers until its signal aborts. URLs no behaviour
 * names are refused. Every requested URL is logged.
 */
export function replayFetch(behaviours: Record<string, Behaviour>, log: string[] = []): FetchFn {
  return (url, init) => {
    log.push(url);
    const u = new URL(url);
    const base = Object.keys(behaviours)
      .sort((a, b) => b.length - a.length)
      .find((b) => url.startsWith(b));
    const how = base === undefined ? "refused" : behaviours[base]!;
    if (how === "refused") return Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }));
    if (how === "error") return Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }) }));
    if (how === "hang")
      return new Promise((_resolve, reject) => {
        init.signal.addEventListener("abort", () => reject(init.signal.reason), { once: true });
      });
    const path = u.pathname.slice(new URL(base!).pathname.replace(/\/$/, "").length) || "/";
    const answer = ANSWERS[how.server]?.[path];
    return Promise.resolve(answer ? new Response(answer.body, { status: answer.status }) : new Response("404 page not found", { status: 404 }));
  };
}
