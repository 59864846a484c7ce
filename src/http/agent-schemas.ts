// Agent schemas: the answers of the operations routes (index, readiness), for tests and the OpenAPI document.
import { z } from "zod";
import { NodeSchema } from "../contract/schemas-system.js";

export const ReadinessChecksSchema = z.strictObject({
  hardware_snapshot: z.boolean().describe("The first hardware scan finished."),
  default_analysis: z.boolean().describe("Every catalog model analyzed on this machine at its default context."),
});

export const ReadySchema = z
  .strictObject({
    status: z.enum(["ready", "starting"]),
    node: NodeSchema,
    checks: ReadinessChecksSchema,
    error: z.string().optional().describe("Present on 503: what the agent is waiting for, or which step failed (it is retried)."),
  })
  .describe("Readiness: 200 once the first snapshot exists and the default analysis is cached, 503 before.");

export const IndexSchema = z
  .strictObject({
    name: z.literal("nodefit"),
    version: z.string(),
    node: NodeSchema,
    endpoints: z.array(z.string()).describe('Every route, "METHOD /path" (HEAD is answered wherever GET is).'),
    documentation: z.string().describe("Path of this OpenAPI document."),
  })
  .describe("A short JSON index of the agent.");
