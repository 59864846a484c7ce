// Where the dashboard is: the URL's hash (`#/models?sort=tps`, `#/model/Qwen%2FQwen3-8B?context=32768`), so every
// view and its state can be bookmarked and shared, and the agent serves one page.
import { useEffect, useState } from "preact/hooks";

export type View = "home" | "models" | "model" | "scatter" | "machine" | "missing";

export interface Route {
  view: View;
  /** The model of `#/model/<name>`. */
  name: string | null;
  params: URLSearchParams;
}

export type Params = Record<string, string | number | boolean | null | undefined>;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const q = raw.indexOf("?");
  const path = q === -1 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q === -1 ? "" : raw.slice(q + 1));
  const parts = path.split("/").filter((p) => p !== "");
  const head = parts[0] ?? "";
  if (head === "") return { view: "home", name: null, params };
  if (head === "model" && parts.length > 1) {
    let name: string;
    try {
      name = decodeURIComponent(parts.slice(1).join("/"));
    } catch {
      name = parts.slice(1).join("/");
    }
    return { view: "model", name, params };
  }
  if (head === "models" || head === "scatter" || head === "machine") return { view: head, name: null, params };
  return { view: "missing", name: null, params };
}

/** The query of a params object: empty, null and false values are left out (the API's defaults). */
export function query(params: Params | URLSearchParams): string {
  const out = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    out.set(k, String(v));
  }
  const s = out.toString();
  return s === "" ? "" : `?${s}`;
}

/** A link inside the dashboard. */
export function href(view: Exclude<View, "missing">, params: Params | URLSearchParams = {}, name?: string): string {
  const path = view === "home" ? "/" : view === "model" ? `/model/${encodeURIComponent(name ?? "")}` : `/${view}`;
  return `#${path}${query(params)}`;
}

/** Goes to a link; `replace` for changes that should not each make a history entry (typing in a search box). */
export function navigate(link: string, replace = false): void {
  if (replace) history.replaceState(null, "", link);
  else history.pushState(null, "", link);
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseHash(location.hash));
    window.addEventListener("hashchange", update);
    window.addEventListener("popstate", update);
    return () => {
      window.removeEventListener("hashchange", update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

/** The params with some keys changed (null removes a key). */
export function withParams(params: URLSearchParams, changes: Params): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === "" || v === false) next.delete(k);
    else next.set(k, String(v));
  }
  return next;
}
