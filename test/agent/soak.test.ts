// Short soak: the built agent under steady mixed load for a few seconds: no errors, no socket failures, flat memory.
// (`npm run bench` runs the 60 s version with autocannon.)
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MACHINE, MAIN } from "../cli/run-cli.js";

const SOAK_MS = 3_000;
const WARM_UP_MS = 1_000;
const CONCURRENCY = 8;

/** Valid and invalid requests a fleet sends; each with the status it must get. */
const MIX: Array<[string, number]> = [
  ["/api/v1/models/top", 200],
  ["/api/v1/models/top?limit=10&min_fit=good&use_case=coding", 200],
  ["/api/v1/models/top?sort=tps", 200],
  ["/api/v1/system", 200],
  ["/health", 200],
  ["/ready", 200],
  ["/api/v1/models/qwen?limit=5", 200],
  ["/api/v1/models?limit=20&sort=mem", 200],
  ["/api/v1/models/top?min_fit=great", 400],
  ["/no/such/path", 404],
];

let child: ChildProcessWithoutNullStreams;
let base: string;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--machine", FIXTURE_MACHINE, "--log-level", "warn"]);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
});
afterAll(() => {
  agent.destroy();
  child.kill("SIGTERM");
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function rssBytes(): Promise<number> {
  const text = (await get("/metrics")).body;
  return Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]);
}

describe("short soak", () => {
  it(`${SOAK_MS / 1000} s of mixed requests at ${CONCURRENCY} connections: every answer as expected, memory flat`, async () => {
    while ((await get("/ready")).status !== 200) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    let sent = 0;
    const wrong: string[] = [];
    let rssAfterWarmUp = 0;
    const worker = async (id: number): Promise<void> => {
      for (let i = id; Date.now() - started < SOAK_MS; i += CONCURRENCY) {
        const [path, status] = MIX[i % MIX.length]!;
        const res = await get(path);
        sent += 1;
        if (res.status !== status) wrong.push(`${path}: ${res.status}`);
        else JSON.parse(res.body);
      }
    };
    const warm = new Promise<void>((r) => setTimeout(() => void rssBytes().then((b) => ((rssAfterWarmUp = b), r())), WARM_UP_MS));
    await Promise.all([...Array.from({ length: CONCURRENCY }, (_, i) => worker(i)), warm]);
    const rssAtEnd = await rssBytes();
    expect(wrong).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    expect(rssAtEnd / rssAfterWarmUp, `RSS ${rssAfterWarmUp} -> ${rssAtEnd}`).toBeLessThan(1.1);
  });
});
