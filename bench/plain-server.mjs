#!/usr/bin/env node
// Baseline for the HTTP benchmark: plain node:http serving fixed bytes per path (the agent's own answers, captured
// first), so the agent is measured against the cost of HTTP alone on the same machine with the same load generator.
// Usage: node bench/plain-server.mjs PATH=FILE [PATH=FILE ...]   (prints "listening on http://127.0.0.1:PORT")
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const bodies = new Map();
for (const arg of process.argv.slice(2)) {
  const eq = arg.indexOf("=");
  bodies.set(arg.slice(0, eq), readFileSync(arg.slice(eq + 1)));
}

const server = createServer((req, res) => {
  const body = bodies.get(req.url);
  if (body === undefined) {
    res.writeHead(404, { "content-type": "application/json; charset=utf-8" }).end('{"error":"not found"}');
    return;
  }
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length }).end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
