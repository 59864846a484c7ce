// Remote GGUF headers: the metadata and tensor infos of a GGUF file on the Hub (every part of a split one), read with
// HTTP range requests by @huggingface/gguf through the Hub client, never the weights.
import { gguf, type GGUFParseOutput } from "@huggingface/gguf";
import { headerOfParts, type GgufHeader, type ParsedGgufPart } from "../catalog/gguf/read-gguf.js";
import { HubClient, HubError } from "./client.js";

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

async function readPart(client: HubClient, part: RemotePart): Promise<ParsedGgufPart> {
  let total = part.size;
  const rangeFetch = async (_url: unknown, init?: { headers?: unknown }): Promise<Response> => {
    const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers as Record<string, string> | undefined).get("range") ?? "");
    if (!range) throw new RemoteGgufError("a read without a byte range");
    const start = Number(range[1]);
    const end = Number(range[2]);
    // Past the end the reader sees zeros, as it does in a local file; a read wholly past the end beyond its one chunk of
    // read-ahead means the header runs past the end of the file.
    if (total !== null && start >= total) {
      if (start - (end - start + 1) >= total) throw new RemoteGgufError(`truncated: the file ends at byte ${total}, inside its header (metadata and tensor infos)`);
      return new Response(new Uint8Array(0), { status: 206, headers: { "content-range": `bytes */${total}` } });
    }
    const response = await client.request(part.url, { Range: `bytes=${start}-${end}` });
    if (response.status !== 206) {
      await response.body?.cancel().catch(() => undefined);
      throw new HubError("bad_answer", `answered ${response.status} to a byte-range request (no range support): nodefit reads only the header, never the whole file`, part.url);
    }
    const size = /\/\s*(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
    if (size !== undefined) total = Number(size);
    const chunks: Uint8Array[] = [];
    let length = 0;
    try {
      for await (const chunk of response.body ?? []) {
        length += (chunk as Uint8Array).byteLength;
        if (length > MAX_RANGE_BYTES || length > end - start + 1) throw new HubError("bad_answer", `a range answer longer than the ${end - start + 1} bytes asked`, part.url);
        chunks.push(chunk as Uint8Array);
      }
    } catch (e) {
      if (e instanceof HubError) throw e;
      throw new HubError("unreachable", `a range answer was cut short (${(e as Error).message})`, part.url);
    }
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > 0 && length < declared) throw new HubError("unreachable", `a range answer was cut short (${length} of ${declared} bytes)`, part.url);
    return new Response(Buffer.concat(chunks), { status: 206, headers: { "content-range": `bytes ${start}-${start + length - 1}/${total ?? "*"}` } });
  };
  let parsed: GGUFParseOutput;
  try {
    parsed = await gguf(part.url, { fetch: rangeFetch as typeof fetch });
  } catch (e) {
    if (e instanceof HubError || e instanceof RemoteGgufError) throw e;
    throw new RemoteGgufError(`not a readable GGUF file (${(e as Error).message})`);
  }
  if (total === null) throw new RemoteGgufError("the Hub states no length for the file (no size in the listing, no Content-Range)");
  return { file: part.url, shown: part.name, parsed, size: total };
}

/** The header of a model on the Hub: every part, in order, read and checked as a local file's parts are. */
export async function readRemoteGgufHeader(client: HubClient, parts: readonly RemotePart[], label: string): Promise<GgufHeader> {
  const read: ParsedGgufPart[] = [];
  for (const p of parts) read.push(await readPart(client, p));
  try {
    return headerOfParts(read, label);
  } catch (e) {
    // headerOfParts words its findings for a local file ("GGUF file <name>: ..."): kept, as the reason.
    throw new RemoteGgufError((e as Error).message.replace(/^GGUF file [^:]+: /, ""));
  }
}
