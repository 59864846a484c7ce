// Schema of an error answer: `{"error": "<one line a person can act on>"}`, the body of every 4xx and 5xx.
import { z } from "zod";

export const ErrorSchema = z
  .object({
    error: z.string().min(1).describe('One line a person can act on. 5xx answers read "server error: ..." and never carry internals.'),
  })
  .describe("Every error answer. Further keys may be added (the readiness answer adds its checks).");
