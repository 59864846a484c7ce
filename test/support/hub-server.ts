// A local stand-in for the Hugging Face Hub in tests: `api/models/{repo}` listings, files under
// `{repo}/resolve/{revision}/{path}` with byte ranges (206, Content-Range, 416 past the end), and the failures a real
// Hub or network gives (404, 401, 429 with Retry-After, 500, a hung answer, a body cut short, a server without ranges).
import { createHash } from "node:crypto";
import { openSync, readSync, closeSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A file of a test repository: JSON, bytes, or a file on disk (a GGUF file, read by range). */
export type HubFile = { json: unknown } | { bytes: Buffer } | { path: string };

/** How the stand-in misbehaves for a repository. */
export type Failure = "404" | "401" | "429" | "500" | "hang" | "truncated" | "no-range";

export interface HubRepo {
  files: Record<string, HubFile>;
  /** Fields of the listing besides id, sha and siblings (safetensors, cardData, createdAt, tags). */
  listing?: Record<string, unknown>;
  /** The listing fails so. */
  listingFailure?: Failure;
  /** Every file request fails so. */
  fileFailure?: Failure;
  /** A gated repository: the listing and files need `authorization: Bearer <token>`, else 401. */
  token?: string;
  /** Files are sent to a CDN on another origin (302 to another port's /cdn/...), as the Hub sends LFS files. */
  cdn?: boolean;
}

export interface HubRequest {
  method: string;
  url: string;
  range: string | null;
  /** Bytes of body sent. */
  sent: number;
  /** The Authorization header the request carried (null: none). */
  authorization: string | null;
}

export interface TestHub {
  url: string;
  repos: Map<string, HubRepo>;
  requests: HubRequest[];
  /** The revision sha every repository is listed at. */
  shaOf(repo: string): string;
  close(): Promise<void>;
}

export const shaOf = (repo: string): string => createHash("sha1").update(repo).digest("hex");

function sizeOf(f: HubFile): number {
  if ("json" in f) return Buffer.byteLength(JSON.stringify(f.json));
  if ("bytes" in f) return f.bytes.length;
  return statSync(f.path).size;
}

function readRange(f: HubFile, start: number, end: number): Buffer {
  if ("json" in f) return Buffer.from(JSON.stringify(f.json)).subarray(start, end + 1);
  if ("bytes" in f) return f.bytes.subarray(start, end + 1);
  const out = Buffer.alloc(end - start + 1);
  const fd = openSync(f.path, "r");
  try {
    const n = readSync(fd, out, 0, out.length, start);
    return out.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Fails a request the way `failure` says; true when it did (the caller stops). */
function fail(res: ServerResponse, failure: Failure | undefined, record: HubRequest): boolean {
  switch (failure) {
    case "404":
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Repository not found"}');
      return true;
    case "401":
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"Access to model is restricted."}');
      return true;
    case "429":
      res.writeHead(429, { "retry-after": "30", "content-type": "application/json" }).end('{"error":"rate limited"}');
      return true;
    case "500":
      res.writeHead(500).end("internal");
      return true;
    case "hang":
      // Never answers; the socket is destroyed when the server closes.
      return true;
    case "truncated": {
      const body = Buffer.from('{"id":"x","sha":"');
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length + 500) });
      res.write(body);
      record.sent += body.length;
      res.socket?.destroy();
      return true;
    }
    default:
      return false;
  }
}

export async function startTestHub(repos: Record<string, HubRepo> = {}): Promise<TestHub> {
  const table = new Map(Object.entries(repos));
  const requests: HubRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  let cdnPort = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const record: HubRequest = { method: req.method ?? "GET", url: req.url ?? "", range: req.headers.range ?? null, sent: 0, authorization: req.headers.authorization ?? null };
    requests.push(record);
    const url = new URL(req.url ?? "/", "http://hub.test");
    const cdn = /^\/cdn(\/.*)$/.exec(url.pathname);
    const path = decodeURIComponent(cdn ? cdn[1]! : url.pathname);
    const gated = (repo: HubRepo): boolean => !cdn && repo.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`;
    const api = /^\/api\/models\/([^/]+\/[^/]+?)(?:\/revision\/([^/]+))?$/.exec(path);
    if (api) {
      const repo = table.get(api[1]!);
      if (repo === undefined) return void fail(res, "404", record);
      if (gated(repo)) return void fail(res, "401", record);
      if (fail(res, repo.listingFailure, record)) return;
      if (api[2] !== undefined && api[2] !== "main" && api[2] !== shaOf(api[1]!)) return void fail(res, "404", record);
      const blobs = url.searchParams.get("blobs") === "true";
      const siblings = Object.entries(repo.files).map(([name, f]) => (blobs ? { rfilename: name, size: sizeOf(f) } : { rfilename: name }));
      const body = Buffer.from(JSON.stringify({ id: api[1], sha: shaOf(api[1]!), siblings, ...repo.listing }));
      record.sent = body.length;
      return void res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) }).end(body);
    }
    const file = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const repo = file ? table.get(file[1]!) : undefined;
    const entry = file && repo ? repo.files[file[3]!] : undefined;
    if (!file || !repo || !entry || (file[2] !== "main" && file[2] !== shaOf(file[1]!))) return void fail(res, "404", record);
    if (gated(repo)) return void fail(res, "401", record);
    // The Hub's answer for an LFS file: a redirect to its CDN, another origin (signed URL, no token needed there).
    if (repo.cdn && !cdn) return void res.writeHead(302, { location: `http://127.0.0.1:${cdnPort}/cdn${url.pathname}` }).end();
    if (repo.fileFailure !== "no-range" && fail(res, repo.fileFailure, record)) return;
    const size = sizeOf(entry);
    const range = /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? "");
    if (range && repo.fileFailure !== "no-range") {
      const start = Number(range[1]);
      if (start >= size) return void res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      const end = Math.min(size - 1, range[2] === undefined ? size - 1 : Number(range[2]));
      const body = readRange(entry, start, end);
      record.sent = body.length;
      return void res.writeHead(206, { "content-range": `bytes ${start}-${end}/${size}`, "content-length": String(body.length), "accept-ranges": "bytes" }).end(body);
    }
    const body = readRange(entry, 0, size - 1);
    record.sent = body.length;
    res.writeHead(200, { "content-length": String(size) }).end(body);
  };
  // The Hub, and its CDN on another origin (another port), both answered by `handle`.
  const server: Server = createServer(handle);
  const cdnServer: Server = createServer(handle);
  for (const s of [server, cdnServer])
    s.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => cdnServer.listen(0, "127.0.0.1", resolve));
  cdnPort = (cdnServer.address() as AddressInfo).port;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    repos: table,
    requests,
    shaOf,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        cdnServer.close(() => server.close(() => resolve()));
      }),
  };
}
