// Reads a benchmarks store as the agent does (BenchmarkStoreReader), from a child process the test may run as another
// user: prints {"models": [...]} or {"error": "..."} on stdout.
import { BenchmarkStoreReader } from "../../../src/bench/store.js";

const reader = new BenchmarkStoreReader(process.argv[2]!);
try {
  const results = await reader.read();
  process.stdout.write(JSON.stringify({ models: results.map((r) => r.model), changed: await reader.changed() }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
} finally {
  reader.close();
}
