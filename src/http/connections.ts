// Connections: at most a few requests in flight per connection (backpressure on pipelining), and the drain on close.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { DRAIN_QUIET_MS } from "./limits.js";

/** What answers a request once its connection has room for it. */
export type Answer = (req: IncomingMessage, res: ServerResponse) => void;

interface Connection {
  readonly socket: Socket;
  /** Requests handed to their answer whose response has not yet been written to the kernel. */
  inFlight: number;
  /** Pipelined requests, parsed, waiting in arrival order for their turn. */
  held: Array<[IncomingMessage, ServerResponse, Answer]>;
  /** Reading stopped by this gate (not by Node's own write backpressure). */
  paused: boolean;
  /** A held request is started at the next turn of the event loop. */
  scheduled: boolean;
  /** Something happened since the drain's last look (a request, an answer, a read, a resume). */
  active: boolean;
  /** socket.bytesRead at the drain's last look; -1 before the first. */
  seenBytes: number;
  /** The drain has ended it. */
  ending: boolean;
}

/** How often the drain looks for connections gone quiet: a connection is quiet after one look without news. */
const DRAIN_TICK_MS = DRAIN_QUIET_MS / 2;

/**
 * The connections of one server. A request arriving on a connection with nothing in flight is answered at once (every
 * client that does not pipeline). Pipelined requests are held (already parsed: Node parses a whole read at once), the
 * socket stops reading while any is held, and they are started one per turn of the event loop while fewer than
 * `maxInFlight` are in flight: a request counts until its response is handed to the kernel (the response's `close`),
 * not when its handler returns, so a client that sends much and reads nothing holds a few answers and no more, and a
 * thousand pipelined requests never take more of a turn than one request does (/health on another connection waits
 * for one request's work per connection at most). The drain (`drain()`) answers every request already received, then
 * closes the connections.
 */
export class Connections {
  readonly #server: Server;
  readonly #maxInFlight: number;
  readonly #open = new Map<Socket, Connection>();
  #draining: Promise<void> | null = null;

  constructor(server: Server, maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError("requests in flight per connection must be an integer >= 1");
    this.#server = server;
    this.#maxInFlight = maxInFlight;
    server.on("connection", (socket: Socket) => this.#track(socket));
  }

  /** A request listener that hands each request to `answer` once its connection has room. */
  gate(answer: Answer): RequestListener {
    return (req, res) => this.admit(req, res, answer);
  }

  /** Hands the request to `answer` now, or once the requests before it on its connection have been answered. */
  admit(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
    const conn = this.#open.get(req.socket as Socket);
    if (conn === undefined) return answer(req, res); // not a socket of this server's (a test double)
    conn.active = true;
    if (conn.inFlight === 0 && conn.held.length === 0) return this.#start(conn, req, res, answer);
    conn.held.push([req, res, answer]);
    if (!conn.paused) {
      conn.paused = true;
      conn.socket.pause();
    }
    this.#schedule(conn);
  }

  /**
   * Stops accepting connections, answers every request already received (the ones read and the ones still in the
   * kernel's buffer: a connection is closed only once it has nothing pending and has sent nothing between two looks,
   * DRAIN_QUIET_MS apart at most), closes each connection as it goes quiet, and cuts whatever is left after `drainMs`.
   * Resolves once every connection is closed. Idempotent.
   */
  drain(drainMs: number): Promise<void> {
    this.#draining ??= new Promise<void>((resolve) => {
      for (const conn of this.#open.values()) conn.seenBytes = -1;
      const tick = setInterval(() => this.#closeQuiet(), DRAIN_TICK_MS);
      const cut = setTimeout(() => this.#server.closeAllConnections(), drainMs);
      tick.unref();
      cut.unref();
      const server = this.#server;
      // http.Server.close() first destroys every connection it sees between two requests, even one whose next request
      // is already in the kernel's buffer (that request is reset, unanswered). Those are closed here once quiet instead.
      Object.defineProperty(server, "closeIdleConnections", { value: () => {}, configurable: true, writable: true });
      try {
        server.close(() => {
          clearInterval(tick);
          clearTimeout(cut);
          resolve();
        });
      } finally {
        Reflect.deleteProperty(server, "closeIdleConnections");
      }
    });
    return this.#draining;
  }

  #track(socket: Socket): void {
    const conn: Connection = { socket, inFlight: 0, held: [], paused: false, scheduled: false, active: true, seenBytes: -1, ending: false };
    this.#open.set(socket, conn);
    socket.on("close", () => {
      this.#open.delete(socket);
      conn.held = [];
    });
    // Node resumes a socket it paused itself (its own write backpressure) without knowing this gate paused it too: a
    // resume while requests are held is undone, so at most one read of requests is ever held per connection.
    socket.on("resume", () => {
      conn.active = true;
      if (conn.paused) socket.pause();
    });
  }

  #start(conn: Connection, req: IncomingMessage, res: ServerResponse, answer: Answer): void {
    conn.inFlight += 1;
    // `close` follows `finish` (the last byte handed to the kernel) or the socket's end; a response queued behind
    // others on a socket that closes gets neither, but its connection is gone by then.
    res.once("close", () => {
      conn.inFlight -= 1;
      conn.active = true;
      this.#schedule(conn);
    });
    answer(req, res);
  }

  /** Starts the next held request at the next turn, if there is one and room for it. */
  #schedule(conn: Connection): void {
    if (conn.scheduled || conn.held.length === 0 || conn.inFlight >= this.#maxInFlight) return;
    conn.scheduled = true;
    setImmediate(() => {
      conn.scheduled = false;
      this.#next(conn);
    });
  }

  #next(conn: Connection): void {
    if (conn.socket.destroyed) {
      conn.held = [];
      return;
    }
    const next = conn.inFlight < this.#maxInFlight ? conn.held.shift() : undefined;
    if (next !== undefined) this.#start(conn, ...next);
    if (conn.held.length === 0 && conn.paused) {
      conn.paused = false;
      conn.socket.resume();
    }
    this.#schedule(conn);
  }

  /** One look of the drain: a connection with nothing in flight or held, that read nothing and did nothing since the
   *  last look, is ended (FIN, after anything still being written). */
  #closeQuiet(): void {
    for (const conn of this.#open.values()) {
      const bytes = conn.socket.bytesRead;
      const quiet = !conn.active && bytes === conn.seenBytes && conn.inFlight === 0 && conn.held.length === 0;
      conn.active = false;
      conn.seenBytes = bytes;
      if (quiet && !conn.ending) {
        conn.ending = true;
        conn.socket.destroySoon();
      }
    }
  }
}
