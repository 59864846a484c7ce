// The dashboard's files: the page `GET /` answers to a browser and its hashed assets, built by `npm run build` into
// dist/dashboard/ (source: src/dashboard/), read on first request and kept in memory, precompressed copies beside them.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";
import { NodefitError } from "../domain/errors.js";
import { DASHBOARD_ASSETS_PREFIX } from "./route-table.js";

/** The built dashboard of this package: dist/dashboard/ (the same folder from src/http/ and from dist/http/). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../dist/dashboard/", import.meta.url));

/**
 * The page's policy: its scripts, styles and images are its own files (no inline script or style element, no CDN),
 * it talks only to this agent, and nothing frames it.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Hashed names never change content: a year, immutable. The page itself is revalidated every time. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
};

interface DashboardFile {
  type: string;
  body: Buffer;
  /** The gzip copy the build wrote beside it, when smaller. */
  gzip: Buffer | null;
  etag: string;
}

interface Files {
  index: DashboardFile;
  assets: ReadonlyMap<string, DashboardFile>;
}

/** Whether a request asks for a page: its Accept names text/html (a browser's navigation), not only JSON or any type. */
export function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (type !== "text/html") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Whether the client takes gzip (Accept-Encoding lists gzip or `*` without q=0). */
function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((part) => {
    const [coding, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? "" : name.slice(dot);
};

async function readOne(path: string, name: string): Promise<DashboardFile> {
  const body = await readFile(path);
  const gzip = await readFile(`${path}.gz`).catch(() => null);
  return {
    type: TYPES[extensionOf(name)] ?? "application/octet-stream",
    body,
    gzip: gzip !== null && gzip.length < body.length ? gzip : null,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
  };
}

/** Every file of the built dashboard, by name: only names listed here are ever served (no path from a request is
 *  joined to the folder). */
async function readFiles(dir: string): Promise<Files> {
  let index: DashboardFile;
  try {
    index = await readOne(join(dir, "index.html"), "index.html");
  } catch {
    throw new NodefitError("not_found", `the dashboard is not built in ${dir}: run npm run build (the API answers JSON at / with Accept: application/json)`);
  }
  const assets = new Map<string, DashboardFile>();
  const assetDir = join(dir, "assets");
  const names = await readdir(assetDir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.endsWith(".gz") || !/^[\w.-]+$/.test(name)) continue;
    assets.set(name, await readOne(join(assetDir, name), name));
  }
  return { index, assets };
}

export interface Dashboard {
  /** Answers the page (`GET /` with Accept: text/html). */
  sendIndex(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  /** Answers `GET /assets/<name>`. */
  sendAsset(req: FastifyRequest, reply: FastifyReply, name: string): Promise<FastifyReply>;
}

/** The dashboard served from `dir` (read on first request, kept; a failed read is tried again next time). */
export function dashboard(dir: string): Dashboard {
  let files: Promise<Files> | null = null;
  const load = (): Promise<Files> => {
    files ??= readFiles(dir).catch((e: unknown) => {
      files = null;
      throw e;
    });
    return files;
  };

  const send = (req: FastifyRequest, reply: FastifyReply, file: DashboardFile, cache: string, vary: string): FastifyReply => {
    void reply.header("cache-control", cache).header("etag", file.etag).header("vary", vary).type(file.type);
    if (req.headers["if-none-match"] === file.etag) return reply.code(304).send();
    const gzip = file.gzip !== null && acceptsGzip(req.headers["accept-encoding"]);
    const body = gzip ? file.gzip! : file.body;
    if (gzip) void reply.header("content-encoding", "gzip");
    // HEAD too: fastify sends the headers of this answer (its length included) without the body.
    return reply.send(body);
  };

  return {
    async sendIndex(req, reply) {
      const { index } = await load();
      void reply.header("content-security-policy", DASHBOARD_CSP);
      // The same URL answers JSON to API clients: caches keep the two apart.
      return send(req, reply, index, REVALIDATE, "Accept, Accept-Encoding");
    },
    async sendAsset(req, reply, name) {
      const file = (await load()).assets.get(name);
      if (file === undefined) throw new NodefitError("not_found", `not found: ${req.method} ${DASHBOARD_ASSETS_PREFIX}${name}`);
      return send(req, reply, file, IMMUTABLE, "Accept-Encoding");
    },
  };
}
