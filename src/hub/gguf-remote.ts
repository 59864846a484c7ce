// Remote GGUF headers: the metadata and tensor infos of a GGUF file on the Hub (every part of a split one), read with
// HTTP range requests through the Hub client, never the weights, and parsed off the event loop by the catalog's header
// reader (its worker, its byte caps per file and per model, its heap cap and clock) within the lookup's scope.
import { NodefitError } from "../domain/errors.js";
import { ggufHeaderReader, type GgufSource } from "../catalog/gguf/header-reader.js";
import type { GgufHeader } from "../catalog/gguf/read-gguf.js";
import { HubClient, HubError, type LookupScope } from "./client.js";

export interface RemotePart {
  url: string;
  /** The file's path in the repository, for messages. */
  name: string;
  /** Its length as the listing gives it, when it does (else the Content-Range of the first read says it). */
  size: number | null;
}

/** Why a header could not be read, beside a HubError (the request failed): the file is not a GGUF model header. */
export class RemoteGgufError extends Error {
  override readonly name = "RemoteGgufError";
}

/** Bytes one range read may return: the reader asks for 2 MB chunks. */
const MAX_RANGE_BYTES = 4 * 2 ** 20;

/** Bytes `start` to `end` of a file on the Hub: a 206 answer, no longer than asked, read to its end. */
async function readRange(client: HubClient, part: RemotePart, start: number, end: number, scope: LookupScope): Promise<{ bytes: Uint8Array; size: number | null }> {
  const response = await client.request(part.url, { Range: `bytes=${start}-${end}` }, scope);
  if (response.status !== 206) {
    await response.body?.cancel().catch(() => undefined);
    throw new HubError("bad_answer", `answered ${response.status} to a byte-range request (no range support): nodefit reads only the header, never the whole file`, part.url);
  }
  const stated = /\/\s*(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of response.body ?? []) {
      length += (chunk as Uint8Array).byteLength;
      if (length > MAX_RANGE_BYTES || length > end - start + 1) throw new HubError("bad_answer", `a range answer longer than the ${end - start + 1} bytes asked`, part.url);
      scope.take((chunk as Uint8Array).byteLength);
      chunks.push(chunk as Uint8Array);
    }
  } catch (e) {
    if (e instanceof HubError) throw e;
    scope.signal.throwIfAborted();
    throw new HubError("unreachable", `a range answer was cut short (${(e as Error).message})`, part.url);
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > 0 && length < declared) throw new HubError("unreachable", `a range answer was cut short (${length} of ${declared} bytes)`, part.url);
  return { bytes: Buffer.concat(chunks), size: stated === undefined ? null : Number(stated) };
}

/**
 * The header of a model on the Hub: every part, in order, read and checked as a local file's parts are. Throws a
 * HubError when a request fails, a RemoteGgufError when the bytes are no header nodefit takes (a cap passed included),
 * the scope's LookupStopped when the lookup stops, NodefitError `overloaded` when the reader is busy.
 */
export async function readRemoteGgufHeader(client: HubClient, parts: readonly RemotePart[], label: string, scope: LookupScope): Promise<GgufHeader> {
  // The later parts of a split model hold only tensor infos: read a slice of each first, not the parser's 2 MB chunk.
  const sources: GgufSource[] = parts.map((p, i) => ({ file: p.url, shown: p.name, size: p.size, probe: i > 0, read: (start, end) => readRange(client, p, start, end, scope) }));
  try {
    return await ggufHeaderReader().read(sources, label, scope.signal);
  } catch (e) {
    if (!(e instanceof NodefitError) || e.code !== "invalid_input_file") throw e;
    // The reader words its findings for a file ("GGUF file <name>: ..."): the first part's name goes, the caller names it.
    const first = [label, parts[0]?.name].map((n) => `GGUF file ${n}: `).find((p) => e.message.startsWith(p));
    throw new RemoteGgufError(first === undefined ? e.message : e.message.slice(first.length));
  }
}
