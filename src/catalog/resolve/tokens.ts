// Name tokens: how model names split into comparable words ("Qwen2.5-Coder-7B-Instruct" -> qwen 2.5 coder 7b instruct).

/** A parameter count: 8b, 1.5b, 270m. */
export const PARAM_SIZE = /^(\d+(?:\.\d+)?)([bm])$/;
/** Active parameters of an MoE (a3b, a22b), effective parameters (e4b), expert layouts (8x7b, 16e). */
const ACTIVE_SIZE = /^a\d+(?:\.\d+)?b$/;
const SPECIAL = /^(?:a\d+(?:\.\d+)?b|e\d+b|\d+x\d+(?:\.\d+)?b|v\d+(?:\.\d+)*)$/;

/**
 * Words that name a default variant and may be left out when people write a name: "Llama 3.1 8B" means the
 * Instruct entry, "Gemma 3 27B" the -it one ("it" is read as "instruct"), "Llama-2-7b-chat-hf" has a packaging suffix.
 */
const OPTIONAL = new Set(["instruct", "chat", "hf", "pt", "latest"]);

/** Tokens a name may omit: default-variant words and MoE active sizes ("Qwen3 30B" for Qwen3-30B-A3B). */
export const isOptionalToken = (t: string): boolean => OPTIONAL.has(t) || ACTIVE_SIZE.test(t);

export const isSizeToken = (t: string): boolean => PARAM_SIZE.test(t) || SPECIAL.test(t) && !t.startsWith("v");

/** Lowercase, letters and digits only: "Qwen2.5-7B" -> "qwen257b". */
export const compactName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

function normalizeNumber(t: string): string {
  // "4.0" and "4" are the same version; "v1.0" and "v1" too; "v1.1" and "1.1" (Ollama's gemma:7b-instruct-v1.1 is
  // Gemma 1.1, yi:9b-v1.5 Yi 1.5). An undotted "v3" stays: DeepSeek V3 is not a "3".
  return t.replace(/^(v?\d+)\.0$/, "$1").replace(/^v(\d+\.\d)/, "$1");
}

/** Words that say the same: Google's "-it" is what others (and Ollama's gemma and gemma2 tags) call "instruct". */
const SYNONYMS: Record<string, string> = { it: "instruct" };

/** Splits "qwen2.5" into "qwen" "2.5" (a letter-to-digit boundary) unless the token is a size or version. */
function splitLetterDigit(t: string): string[] {
  if (SPECIAL.test(t) || PARAM_SIZE.test(t)) return [t];
  return t.split(/(?<=[a-z])(?=\d)/);
}

/** The comparable words of a model name, lowercased, in order (duplicates kept). */
export function nameTokens(s: string): string[] {
  const text = s
    .toLowerCase()
    // internlm2_5 and 1_8b write a decimal point as an underscore
    .replace(/(\d)_(\d)/g, "$1.$2");
  const out: string[] = [];
  for (const raw of text.split(/[^a-z0-9.]+/)) {
    const word = raw.replace(/^\.+|\.+$/g, "");
    if (word === "") continue;
    for (const piece of word.includes(".") && !/^v?\d+(\.\d+)*[a-z]?$/.test(word) ? word.split(/\.(?=[a-z])|(?<=[a-z])\./) : [word]) {
      for (const t of splitLetterDigit(piece)) if (t !== "") out.push(SYNONYMS[t] ?? normalizeNumber(t));
    }
  }
  return out;
}
