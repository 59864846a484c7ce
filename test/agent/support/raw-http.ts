// Raw HTTP over a socket: for what inject cannot send (oversized headers, a request that stops half way).
import { connect, type Socket } from "node:net";

export interface RawTarget {
  port?: number;
  path?: string;
}

export const openSocket = (target: RawTarget): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = target.path !== undefined ? connect({ path: target.path }) : connect({ host: "127.0.0.1", port: target.port ?? 0 });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });

/** Everything the server writes until it closes the socket (or `timeoutMs` passes). */
export function readAll(socket: Socket, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => (text += c));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

/** Sends `text` and resolves with the whole answer (the request should ask for `connection: close`). */
export async function rawExchange(target: RawTarget, text: string, timeoutMs?: number): Promise<string> {
  const socket = await openSocket(target);
  const answer = readAll(socket, timeoutMs);
  socket.write(text);
  return answer;
}

/** Status code and JSON body of a raw HTTP/1.1 answer. */
export function parseAnswer(text: string): { status: number; headers: Record<string, string>; body: string } {
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = end === -1 ? "" : text.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") body = dechunk(body);
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const nl = rest.indexOf("\r\n");
    if (nl === -1) return out;
    const size = parseInt(rest.slice(0, nl), 16);
    if (!size) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}
