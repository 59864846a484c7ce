// Masking URLs' secrets: the forms people and tools write, the same answers as the regular expression it replaces on
// random text, and time linear in the text's length.
import { describe, expect, it } from "vitest";
import { redactUrl, redactUrls } from "./redact.js";

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

  it("takes time linear in the text: a megabyte of letters, of URLs, of schemes without `://`", () => {
    for (const text of ["m".repeat(1_000_000), "http://u:p@h/?q ".repeat(60_000), "a1".repeat(500_000) + "://x", "ab://".repeat(200_000)]) {
      const t0 = performance.now();
      redactUrls(text);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
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
