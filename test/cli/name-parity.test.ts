// One resolver for every door: for each reference of the resolver's real-world table, GET /api/v1/models/{name},
// `nodefit info NAME --json` and the MCP tool model_info answer the same envelope, whose `resolved_from` names the model
// the table expects and whose rows include it.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelsEnvelopeJson } from "../../src/contract/envelope.js";
import { buildApp } from "../../src/http/app.js";
import { runCli } from "../../src/cli/run.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import { createNodefitMcpServer } from "../../src/mcp/server.js";
import { openLocalService } from "../../src/service/local-service.js";
import type { NodeService } from "../../src/service/node-service.js";
import { FIXTURE_MACHINE } from "./run-cli.js";

interface Row {
  input: string;
  expect: string | null;
  status?: "ambiguous" | "not_found";
  quant: string | null;
}

type Door = (name: string) => Promise<{ status: number; envelope: ModelsEnvelopeJson | null }>;

let service: NodeService;
let app: FastifyInstance;
let rows: Row[];
let client: Client;

beforeAll(async () => {
  rows = (JSON.parse(readFileSync(new URL("../fixtures/resolve/table.json", import.meta.url), "utf8")) as { rows: Row[] }).rows;
  service = openLocalService({ machineFile: FIXTURE_MACHINE, overrides: {}, nodeName: null, refreshIntervalMs: 0 });
  app = buildApp(service);
  await app.ready();
  // The MCP server on the same service, its client in this process (the transports have their own test: mcp-parity).
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createNodefitMcpServer(service, { log: () => {} }).connect(serverSide);
  client = new Client({ name: "name-parity", version: "0" });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  await app.close();
  service.close();
});

const api: Door = async (name) => {
  const res = await app.inject({ method: "GET", url: `/api/v1/models/${encodeURIComponent(name)}` });
  return { status: res.statusCode, envelope: res.statusCode === 200 ? (res.json() as ModelsEnvelopeJson) : null };
};

/** The CLI in this process, on the same service (its opener replaced), so 800 runs share one analysis. */
const cli: Door = async (name) => {
  let stdout = "";
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {}, readStdin: async () => "" };
  const code = await runCli(["info", name, "--json"], io, { openService: async () => service });
  const envelope = JSON.parse(stdout) as ModelsEnvelopeJson | { error: string };
  return { status: code === 0 ? 200 : 404, envelope: "models" in envelope ? envelope : null };
};

/** The MCP tool model_info: the API's envelope as structuredContent (an empty one when nothing matches, as the API). */
const mcp: Door = async (name) => {
  const result = await client.callTool({ name: "model_info", arguments: { name } });
  return { status: result.isError ? 400 : 200, envelope: result.isError ? null : (result.structuredContent as unknown as ModelsEnvelopeJson) };
};

describe("name resolution: API, CLI and MCP give the same answer", () => {
  it("for every reference of the resolution table", async () => {
    const mismatches: string[] = [];
    for (const row of rows) {
      const [a, c, m] = await Promise.all([api(row.input), cli(row.input), mcp(row.input)]);
      // The CLI exits 1 when nothing matches; its --json output is then the API's envelope with no models.
      const found = a.envelope !== null && a.envelope.models.length > 0;
      if (c.status !== (found ? 200 : 404)) mismatches.push(`${row.input}: API ${a.status} with ${a.envelope?.models.length} models, CLI ${c.status}`);
      else if (found && JSON.stringify(c.envelope) !== JSON.stringify(a.envelope)) mismatches.push(`${row.input}: the envelopes differ`);
      if (m.status !== a.status) mismatches.push(`${row.input}: API ${a.status}, MCP ${m.status}`);
      else if (JSON.stringify(m.envelope) !== JSON.stringify(a.envelope)) mismatches.push(`${row.input}: the API's and MCP's envelopes differ`);
      const resolved = a.envelope?.resolved_from;
      if (resolved?.name !== row.expect) mismatches.push(`${row.input}: resolved to ${resolved?.name}, the table says ${row.expect}`);
      if (row.expect !== null && !a.envelope?.models.some((m) => m.name === row.expect)) mismatches.push(`${row.input}: ${row.expect} is not among the rows`);
      if (resolved && resolved.quant !== row.quant) mismatches.push(`${row.input}: quant ${resolved.quant}, the table says ${row.quant}`);
    }
    expect(mismatches).toEqual([]);
    expect(rows.length).toBeGreaterThan(800);
  }, 120_000);

  it("an Ollama tag: the curl example of the README and nodefit info name the same model", async () => {
    const [a, c, m] = await Promise.all([api("llama3.1:8b"), cli("llama3.1:8b"), mcp("llama3.1:8b")]);
    expect(a.envelope?.resolved_from).toMatchObject({ status: "matched", name: "meta-llama/Llama-3.1-8B-Instruct", matched_by: "ollama_tag" });
    expect(a.envelope?.models.map((m) => m.name)).toEqual(["meta-llama/Llama-3.1-8B-Instruct"]);
    expect(c.envelope).toEqual(a.envelope);
    expect(m.envelope).toEqual(a.envelope);
  });

  it("the other routes carry resolved_from: null", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/models/top" });
    expect((res.json() as ModelsEnvelopeJson).resolved_from).toBeNull();
  });
});
