// Hub references: which model references name a Hugging Face repository (and perhaps a revision, a GGUF file or a quant),
// so a reference the catalog does not know can be looked up there. Local paths and loose words never are.
import { canonicalQuant } from "../catalog/resolve/quant-label.js";
import { parseReference } from "../catalog/resolve/reference.js";
import type { QuantName } from "../domain/quants.js";

export interface HubReference {
  /** `owner/name`, as written. */
  repo: string;
  /** The revision a URL names (`/resolve/<rev>/`, `/tree/<rev>`), else "main". */
  revision: string;
  /** A GGUF file the reference names (path inside the repository), or null. */
  file: string | null;
  /** The quant label a `:TAG`, a file name or the repo name gives ("Q4_K_M", "UD-Q4_K_XL"), or null. */
  quantLabel: string | null;
  /** That label as the estimator names it, when it knows it. */
  quant: QuantName | null;
  /** An Ollama pull (`hf.co/owner/repo[:QUANT]`): Ollama runs it (its Q4_K_M default, its context). */
  ollamaPull: boolean;
}

/** Repository ids as the Hub allows them: letters, digits, `-`, `_`, `.`; no `--` or `..`; at most 96 characters a part. */
const PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9_])?$/;
const BARE_REPO = /^([^/\s:]+)\/([^/\s:]+)$/;
const URL_HOST = /^(?:(https?):\/\/)?(?:www\.)?(huggingface\.co|hf\.co)\/(.*)$/i;
const REVISION = /^(?:models\/)?[^/]+\/[^/]+\/(?:blob|resolve|tree)\/([^/]+)(?:\/(.*))?$/;

/**
 * The Hub repository a reference names, or null: `owner/name` (exactly two parts), a Hugging Face URL
 * (`https://huggingface.co/owner/name`, `/resolve/<rev>/file.gguf`, `/tree/<rev>`), or an Ollama pull
 * (`hf.co/owner/name:Q4_K_M`). Paths with more parts, files, Ollama library tags and words are not Hub references.
 */
export function hubReference(input: string): HubReference | null {
  const text = input.trim().replace(/[?#].*$/, "");
  const url = URL_HOST.exec(text);
  if (url === null && !BARE_REPO.test(text)) return null;
  const ref = parseReference(text);
  if (ref.form !== "repo" || ref.repo === null) return null;
  const [owner, name] = ref.repo.split("/");
  if (owner === undefined || name === undefined || !PART.test(owner) || !PART.test(name)) return null;
  let revision = "main";
  let file = ref.file;
  if (url !== null) {
    const at = REVISION.exec(url[3] ?? "");
    // A malformed percent-encoding names nothing on the Hub: no reference (decodeURIComponent would throw).
    const decoded = (s: string): string | null => {
      try {
        return decodeURIComponent(s);
      } catch {
        return null;
      }
    };
    if (at?.[1]) {
      const rev = decoded(at[1]);
      if (rev === null) return null;
      revision = rev;
    }
    // The file's path inside the repository (unsloth keeps split quants in folders: .../resolve/main/Q4_K_M/x.gguf).
    if (at?.[2] && /\.gguf$/i.test(at[2])) {
      const named = decoded(at[2]);
      if (named === null) return null;
      file = named;
    }
  }
  const quantLabel = ref.quantLabel;
  return {
    repo: ref.repo,
    revision,
    file,
    quantLabel,
    quant: canonicalQuant(quantLabel),
    ollamaPull: url !== null && url[1] === undefined && url[2]!.toLowerCase() === "hf.co",
  };
}
