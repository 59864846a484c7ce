// Masking URLs' secrets: the forms people and tools write, the same answers as the regular expression it replaces on
// random text, and time linear in the text's length.
import { describe, expect, it } from "vitest";
import { redactShown, redactUrl, redactUrls } from "./redact.js";

/** The regular expression redactUrls had (quadratic on a long run of letters): the reference on short text. */
const reference = (word: string): string =>
  word.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*@)?([^\s?#]*)([?#]\S*)?/gi, (_m, scheme: string, userinfo: string | undefined, rest: string, query: string | undefined) =>
    `${scheme}${userinfo ? "***@" : ""}${rest}${query ? `${query[0]}***` : ""}`,
  );

describe("redactUrls", () => {
  it("masks credentials, queries and fragments, and nothing else", () => {
    expect(redactUrls("--model-url https://user:pa55@host/m.gguf?X-Amz-Signature=abc next")).toBe("--model-url https://***@host/m.gguf?*** next");
    expect(redactUrls("s3://AKIA:secret@bucket/model")).toBe("s3://***@bucket/model");
    expect(redactUrls("http://a@b@c/x#frag")).toBe("http://***@c/x#***");
    expect(redactUrls("see http://host:8080/v1 and ftp://u:p@h")).toBe("see http://host:8080/v1 and ftp://***@h");
    expect(redactUrls("9git+ssh://u:p@h/r")).toBe("9git+ssh://***@h/r");
    expect(redactUrls("no url here, a:// b")).toBe("no url here, a:// b");
    expect(redactUrls("plain")).toBe("plain");
  });

  it("gives the answers of the regular expression it replaces, on random text", () => {
    const alphabet = ["a", "Z", "1", "+", ".", "-", ":", "/", "//", "://", "@", "?", "#", " ", "\t", "x", "http://", "u:p@"];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: rand(24) }, () => alphabet[rand(alphabet.length)]).join("");
      expect(redactUrls(text), JSON.stringify(text)).toBe(reference(text));
    }
  });

  it("takes time linear in the text: a megabyte of letters, of URLs with and without credentials, of schemes without `://`", () => {
    // The bound is generous (a quadratic search took 28 s on the URLs without `@`; linear takes about 0.1 s).
    const texts = ["m".repeat(1_000_000), "http://u:p@h/?q ".repeat(60_000), "x://h ".repeat(170_000), "a1".repeat(500_000) + "://x", "ab://".repeat(200_000)];
    for (const text of texts) {
      const t0 = performance.now();
      redactUrls(text);
      expect(performance.now() - t0, text.slice(0, 16)).toBeLessThan(3000);
    }
    expect(redactUrls("x://h ".repeat(3))).toBe("x://h x://h x://h ");
  });
});

describe("redactShown", () => {
  it("masks, then cuts to the length shown, with `…` where it cut", () => {
    expect(redactShown("see https://u:p@host/x?sig=1", 100)).toBe("see https://***@host/x?***");
    expect(redactShown("a".repeat(20), 10)).toBe(`${"a".repeat(9)}…`);
    expect(redactShown("https://user:secret@host/path", 12)).toBe("https://***…");
  });

  it("masks a head only, and never shows the start of credentials the head cut before their `@`", () => {
    const user = "u".repeat(5000);
    expect(redactShown(`https://${user}:secret@host/m`, 100)).toBe("https://…");
    expect(redactShown(`x https://${user}`, 100)).toBe("x https://…");
    // Cut in the path or the query: the authority is whole, what is shown is masked as usual.
    expect(redactShown(`https://u:p@host/${"p".repeat(5000)}`, 30)).toBe(`https://***@host/${"p".repeat(12)}…`);
    expect(redactShown(`https://host/m?${"q".repeat(5000)}`, 100)).toBe("https://host/m?***…");
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) redactShown("x://h ".repeat(170_000), 256);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe("redactUrl", () => {
  it("a value meant as a URL, with or without its scheme", () => {
    expect(redactUrl("http://user:secret@host:8000")).toBe("http://***@host:8000");
    expect(redactUrl("user:secret@host:8000")).toBe("***@host:8000");
    expect(redactUrl("host:1/x?token=abc")).toBe("host:1/x?***");
    expect(redactUrl("off")).toBe("off");
    expect(redactUrl("  lots ")).toBe("  lots ");
  });
});
