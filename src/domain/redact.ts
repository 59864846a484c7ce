// Secrets kept out of what nodefit echoes: a URL's credentials and its query or fragment (where presigned links carry
// their signatures) masked, in free text (a command line, a runtime's answer, an error) and in a value meant as a URL
// (a flag's, a variable's, a config file's), whatever door it came through. Here because every layer that echoes a
// value may import domain. Linear in the text's length: a command line or an answer of a megabyte is masked in
// milliseconds (a regular expression for the same takes time quadratic in a long run of letters); text shown cut is
// cut before it is masked (`redactShown`).

const SCHEME_CHAR = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;
/** Where a URL's authority ends (userinfo is what comes before its last `@`). */
const AUTHORITY_END = /[\s/?#]/g;
/** Where its path ends. */
const PATH_END = /[\s?#]/g;
const SPACE = /\s/g;

/** The first index at or after `from` that `re` (global) matches, else the text's length. */
function indexOf(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m === null ? text.length : m.index;
}

/**
 * Text with every URL's secrets masked: credentials (`https://user:pass@host`, `s3://KEY:SECRET@bucket` ->
 * `https://***@host`) and a query or fragment (`?X-Amz-Signature=...` -> `?***`). A URL is a scheme (a letter, then
 * letters, digits, `+`, `.` or `-`), `://`, and what follows up to a space.
 */
export function redactUrls(text: string): string {
  let out = "";
  let copied = 0;
  let from = 0;
  for (;;) {
    const sep = text.indexOf("://", from);
    if (sep < 0) break;
    // The scheme: the run of scheme characters before `://`, from its first letter.
    let start = sep;
    while (start > copied && SCHEME_CHAR.test(text[start - 1]!)) start--;
    while (start < sep && !LETTER.test(text[start]!)) start++;
    if (start === sep) {
      from = sep + 1;
      continue;
    }
    const afterScheme = sep + 3;
    const authorityEnd = indexOf(AUTHORITY_END, text, afterScheme);
    // The last `@` within the authority only: a search back from its end to the text's start made a megabyte of
    // URLs without credentials take half a minute.
    let at = authorityEnd - 1;
    while (at >= afterScheme && text[at] !== "@") at--;
    const hostStart = at >= afterScheme ? at + 1 : afterScheme;
    const pathEnd = indexOf(PATH_END, text, hostStart);
    const hasQuery = pathEnd < text.length && (text[pathEnd] === "?" || text[pathEnd] === "#");
    const end = hasQuery ? indexOf(SPACE, text, pathEnd) : pathEnd;
    out += text.slice(copied, afterScheme) + (hostStart > afterScheme ? "***@" : "") + text.slice(hostStart, pathEnd) + (hasQuery ? `${text[pathEnd]}***` : "");
    copied = end;
    from = Math.max(end, sep + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** How many raw characters per character shown `redactShown` masks: masking shrinks credentials and queries. */
const SHOWN_HEAD_FACTOR = 4;
const AUTHORITY_CHAR_END = /[\s/?#]/;

/**
 * How much of a runtime's string (a model path, a version, a command line) an answer shows: enough to keep whole the
 * longest path a store gives, a Hugging Face cache file (`~/.cache/huggingface/hub/models--owner--name/snapshots/` +
 * a 40-hex revision + a file name, about 150-220 characters), never a dump of a megabyte a process or a server sent.
 */
export const SHOWN_TEXT_MAX_CHARS = 300;

/**
 * Text an answer shows at most `maxChars` of, masked by `mask` (`redactUrls`, or a command line's masking), with `…`
 * where it was cut. Only a head of a few times `maxChars` is masked, so a megabyte costs no more than a line; a head
 * that ends inside a URL's authority loses that authority, whose `@` (making all of it credentials) may lie past the
 * cut.
 */
export function redactShown(text: string, maxChars: number, mask: (text: string) => string = redactUrls): string {
  const limit = maxChars * SHOWN_HEAD_FACTOR;
  let head = text;
  if (text.length > limit) {
    head = text.slice(0, limit);
    const sep = head.lastIndexOf("://");
    if (sep >= 0 && !AUTHORITY_CHAR_END.test(head.slice(sep + 3))) head = head.slice(0, sep + 3);
  }
  const masked = mask(head);
  return masked.length > maxChars || head.length < text.length ? `${masked.slice(0, maxChars - 1)}…` : masked;
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A value meant as a URL, as an error echoes it: its secrets masked as by `redactUrls`, a value written without a
 * scheme (`user:pass@host:8000`, which parsers read as `http://...`) too.
 */
export function redactUrl(value: string): string {
  const text = value.trim();
  if (HAS_SCHEME.test(text.slice(0, 64))) return redactUrls(value);
  const masked = redactUrls(`x://${text}`).slice(4);
  return masked === text ? value : masked;
}
