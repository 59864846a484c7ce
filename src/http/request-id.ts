// Request ids: a caller's `x-request-id` when it is a short plain token, else one of ours; logged and echoed back.
import type { IncomingHttpHeaders } from "node:http";
import { randomBytes } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

/** What a caller's id may look like: it goes into logs and a response header, so nothing else is accepted. */
const CALLER_ID = /^[\w.:@/+=-]{1,128}$/;

/** Ids unique per process and across restarts: a random prefix and a counter. */
export function requestIdGenerator(): (req: { headers: IncomingHttpHeaders }) => string {
  const prefix = randomBytes(4).toString("hex");
  let counter = 0;
  return (req) => {
    const given = req.headers[REQUEST_ID_HEADER];
    if (typeof given === "string" && CALLER_ID.test(given)) return given;
    counter += 1;
    return `${prefix}-${counter.toString(36)}`;
  };
}
