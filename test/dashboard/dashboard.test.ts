// The dashboard in a real browser (Debian's chromium through playwright-core) against the built agent on the fixture
// machine: load, filter, sort, open a model, change context and quant, simulate a machine, sign in with a token, an
// axe-core pass, screenshots at 1280 and 390 px (under docs/screenshots/ with NODEFIT_SCREENSHOTS=docs/screenshots:
// `npm run screenshots`), and the HTTP side: CSP, cache headers, gzip, the bundle's size.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentProcess, type AgentProcess } from "../http/support/agent-process.js";
import { collectErrors, launchChromium, type Browser } from "./browser.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUILT = join(ROOT, "dist", "dashboard");
const TOKEN = "dashboard-test-token-7f3a";
/** The issue's budget for the page's JavaScript, gzipped. */
const JS_BUDGET_GZIP_BYTES = 150 * 1024;
const SHOTS = process.env["NODEFIT_SCREENSHOTS"] ? resolve(ROOT, process.env["NODEFIT_SCREENSHOTS"]) : mkdtempSync(join(tmpdir(), "nodefit-shots-"));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// The browser's globals, as the callbacks given to page.evaluate() use them (they run in the page, not in Node; this
// project's TypeScript has Node's globals only).
interface DomNode {
  id: string;
  tagName: string;
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): { length: number };
  activeElement: DomNode | null;
  documentElement: { scrollWidth: number; clientWidth: number; scrollHeight: number };
};
declare const window: unknown;
declare const requestAnimationFrame: (callback: () => void) => void;
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };

let agent: AgentProcess;
let browser: Browser;

/** Waits until the agent's default analysis is cached (so timings measure the dashboard, not the first analysis). */
async function whenReady(address: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`${address}/ready`).catch(() => null))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${address} never became ready`);
}

beforeAll(async () => {
  if (!existsSync(join(BUILT, "index.html"))) throw new Error(`${BUILT} has no index.html: run npm run build first (npm test does)`);
  agent = await startAgentProcess();
  browser = await launchChromium();
  await whenReady(agent.address);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  return { page, errors: collectErrors(page) };
}

/** Serious and critical axe-core violations on the page as it is (axe is evaluated through the DevTools protocol,
 *  which the page's CSP does not govern, so the page keeps its policy). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as { axe: { run: (ctx: unknown, o: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(", ")})`);
}

describe("the agent serves the dashboard", () => {
  it("GET / answers the page to a browser and the JSON index to API clients", async () => {
    const page = await fetch(`${agent.address}/`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8", "accept-encoding": "gzip" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("vary")).toMatch(/Accept\b/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    // No inline script or style: every script has a src, no style element or attribute, nothing from elsewhere.
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => / src="\/assets\/[\w.-]+\.js"/.test(m[0]))).toBe(true);
    expect(html).not.toMatch(/<style|style=|https?:\/\//);

    const json = await fetch(`${agent.address}/`);
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await json.json()) as { name: string }).name).toBe("nodefit");
  });

  it("serves hashed assets immutable and gzipped; the JavaScript is under 150 KB gzipped", async () => {
    const names = readdirSync(join(BUILT, "assets")).filter((n) => !n.endsWith(".gz"));
    const js = names.filter((n) => n.endsWith(".js"));
    expect(js.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const name of names) {
      const res = await fetch(`${agent.address}/assets/${name}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status, name).toBe(200);
      expect(res.headers.get("cache-control"), name).toBe("public, max-age=31536000, immutable");
      if (/\.(js|css|svg)$/.test(name)) expect(res.headers.get("content-encoding"), name).toBe("gzip");
      if (name.endsWith(".js")) gzipped += statSync(join(BUILT, "assets", `${name}.gz`)).size;
    }
    console.log(`dashboard JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(JS_BUDGET_GZIP_BYTES);
    expect((await fetch(`${agent.address}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${agent.address}/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe("in chromium", () => {
  it("shows the node and the top models within a second; the skip link and headings take the keyboard", async () => {
    const { page, errors } = await newPage();
    // Best of three loads (the first also warms the browser): the time from navigation to both being on screen.
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${agent.address}/`);
      times.push(
        await page.evaluate(
          () =>
            new Promise<number>((done) => {
              const check = (): void => {
                const h1 = document.querySelector("h1")?.textContent ?? "";
                const rows = document.querySelectorAll("table.rows tbody tr").length;
                if (h1 === "fixture-4090" && rows > 0) done(performance.now());
                else requestAnimationFrame(check);
              };
              check();
            }),
        ),
      );
    }
    console.log(`node and top models on screen after ${times.map((t) => `${Math.round(t)} ms`).join(", ")}`);
    expect(Math.min(...times)).toBeLessThan(1000);
    await expect.poll(() => page.getByRole("heading", { name: "GPUs" }).isVisible()).toBe(true);
    expect(await page.getByText("NVIDIA GeForce RTX 4090").first().isVisible()).toBe(true);
    expect(await page.getByText("1008 GB/s").isVisible()).toBe(true);
    // Keyboard: the first Tab reaches "Skip to content", which moves the focus to the content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // The node is polled: a second /api/v1/system request arrives within the poll interval.
    const polled = page.waitForRequest((r) => r.url().endsWith("/api/v1/system"), { timeout: 8000 });
    await expect(polled).resolves.toBeTruthy();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("filters and sorts with every control in the URL, and searches with the resolver", async () => {
    const { page, errors } = await newPage();
    await page.goto(`${agent.address}/#/models`);
    await page.locator("table.rows tbody tr").first().waitFor();
    await page.getByLabel("Use case", { exact: true }).selectOption("coding");
    await expect.poll(() => page.url()).toContain("use_case=coding");
    await expect.poll(() => page.locator("table.rows td.col-use_case").first().textContent()).toBe("Coding");
    await page.getByLabel("Fit at least").selectOption("good");
    await expect.poll(() => page.url()).toContain("min_fit=good");
    // Sort by a column header, from the keyboard.
    await page.getByRole("button", { name: "Sort by tok/s" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain("sort=tps");
    await expect.poll(() => page.locator("th[aria-sort=descending]").textContent()).toContain("tok/s");
    const speeds = async (): Promise<number[]> => (await page.locator("table.rows td.col-tps").allTextContents()).map((t) => parseFloat(t));
    await expect.poll(async () => {
      const s = await speeds();
      return s.length > 1 && s.every((v, i) => i === 0 || v <= s[i - 1]!);
    }).toBe(true);
    expect((await page.locator("table.rows .badge").allTextContents()).every((b) => b === "Perfect" || b === "Good")).toBe(true);
    // The URL is the state: opened afresh, it shows the same view.
    const shared = page.url();
    const { page: other } = await newPage();
    await other.goto(shared);
    await other.locator("table.rows tbody tr").first().waitFor();
    expect(await other.getByLabel("Use case", { exact: true }).inputValue()).toBe("coding");
    expect(await other.getByLabel("Sort by", { exact: true }).inputValue()).toBe("tps");
    await other.close();
    // A search goes through the resolver: an Ollama tag finds its model.
    await page.getByLabel("Search").fill("qwen3:8b");
    await expect.poll(() => page.url()).toContain("search=qwen3%3A8b");
    await expect.poll(() => page.locator(".resolved").textContent()).toContain("Qwen/Qwen3-8B");
    expect(await page.locator(".resolved").textContent()).toContain("ollama tag");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("opens a model and changes its context and quant", async () => {
    const { page, errors } = await newPage();
    await page.goto(`${agent.address}/#/models?search=Qwen3-8B`);
    await page.locator("table.rows a.model-link", { hasText: /^Qwen\/Qwen3-8B$/ }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Qwen/Qwen3-8B");
    // The heading of the new view has the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    await page.getByText("Weights", { exact: true }).first().waitFor();
    const kvAt = async (): Promise<number> => parseFloat((await page.locator(".stack-legend li", { hasText: "KV cache" }).locator("strong").textContent()) ?? "");
    await expect.poll(kvAt).toBeGreaterThan(0);
    const kv8k = await kvAt();
    await page.getByLabel("Context", { exact: true }).selectOption("32768");
    await expect.poll(() => page.url()).toContain("context=32768");
    await expect.poll(() => page.locator("p.count").textContent()).toContain("32K tokens");
    await expect.poll(kvAt).toBeGreaterThan(kv8k * 3);
    // The curve (a canvas) and the ladder are there; a quant from the ladder becomes the estimate.
    await page.locator(".chart canvas").first().waitFor();
    await page.getByRole("button", { name: "Use Q4_K_M" }).click();
    await expect.poll(() => page.url()).toContain("quant=Q4_K_M");
    await expect.poll(() => page.locator("p.count").textContent()).toContain("at Q4_K_M");
    await expect.poll(() => page.locator(".ladder tr[aria-current=true] th").textContent()).toBe("Q4_K_M");
    await page.getByLabel("Quant", { exact: true }).selectOption("Q8_0");
    await expect.poll(() => page.locator("p.count").textContent()).toContain("at Q8_0");
    // The command that measures it, with its copy button; notes and the basis.
    await expect.poll(() => page.locator(".command code").textContent()).toMatch(/^(llama-bench|ollama|mlx_lm|vllm)\b.*Q8_0/);
    expect(await page.getByRole("button", { name: "Copy" }).isVisible()).toBe(true);
    await page.getByText(/Every input and intermediate figure/).click();
    expect(await page.locator(".fields dt", { hasText: "kv cache gib" }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("simulates another machine from a preset and opens a model on it", async () => {
    const { page, errors } = await newPage();
    // A search keeps the run short: the models matching it are estimated for the machine.
    await page.goto(`${agent.address}/#/machine?search=qwen3-8b`);
    await page.getByRole("button", { name: "Apple M4 Pro · 48 GB" }).click();
    await expect.poll(() => page.url()).toContain("gpu=Apple+M4+Pro");
    await expect.poll(() => page.locator("p.count").textContent(), { timeout: 30_000 }).toMatch(/^Estimated \d+ models/);
    expect(await page.getByRole("heading", { name: /Apple M4 Pro · 48 GB RAM/ }).isVisible()).toBe(true);
    expect(await page.getByText("273").first().isVisible()).toBe(true); // the M4 Pro's bandwidth, from the knowledge base
    const link = page.locator("table.rows a.model-link", { hasText: "Qwen/Qwen3-8B" }).first();
    await link.click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Qwen/Qwen3-8B");
    await expect.poll(() => page.locator(".machine-banner").textContent()).toContain("Apple M4 Pro");
    await expect.poll(() => page.locator(".bar-note").textContent()).toContain("of 36.0 GB");
    await expect.poll(() => page.locator(".command code").textContent()).toMatch(/^(mlx_lm|llama-bench)/);
    // A machine typed in the form.
    await page.goto(`${agent.address}/#/machine?search=qwen3-8b`);
    await page.getByLabel("GPU name").fill("NVIDIA GeForce RTX 3090");
    await page.getByLabel("Memory per GPU (GB)").fill("24");
    await page.getByLabel("Number of GPUs").fill("2");
    await page.getByLabel("RAM (GB)", { exact: true }).fill("128");
    await page.getByRole("button", { name: "Estimate on this machine" }).click();
    await expect.poll(() => page.url()).toContain("gpus=2");
    await expect.poll(() => page.locator("p.count").textContent(), { timeout: 30_000 }).toMatch(/^Estimated \d+ models/);
    expect(await page.locator("table.rows tbody tr").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it("signs in with a token kept for the tab only", async () => {
    const guarded = await startAgentProcess([], { NODEFIT_TOKEN: TOKEN });
    try {
      // The page and its files need no token; the API does.
      expect((await fetch(`${guarded.address}/`, { headers: { accept: "text/html" } })).status).toBe(200);
      expect((await fetch(`${guarded.address}/`)).status).toBe(401);
      expect((await fetch(`${guarded.address}/api/v1/system`)).status).toBe(401);
      const { page } = await newPage();
      await page.goto(`${guarded.address}/`);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await page.getByLabel("Access token").fill("not-the-token");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("refused");
      await page.getByLabel("Access token").fill(TOKEN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.locator("h1").textContent()).toBe("fixture-4090");
      await page.locator("table.rows tbody tr").first().waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem("nodefit.token"))).toBe(TOKEN);
      expect(await page.evaluate(() => localStorage.getItem("nodefit.token"))).toBeNull();
      // Another tab does not have it.
      const { page: tab } = await newPage();
      await tab.goto(`${guarded.address}/`);
      await tab.getByRole("heading", { name: "Sign in" }).waitFor();
      await tab.close();
      // Signing out forgets it.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem("nodefit.token"))).toBeNull();
      await page.close();
    } finally {
      await guarded.stop();
    }
  }, 60_000);

  it("has no serious accessibility violations (axe-core), light and dark", async () => {
    const { page, errors } = await newPage();
    const views: Array<[string, string]> = [
      ["/#/", "table.rows tbody tr"],
      ["/#/models", "table.rows tbody tr"],
      ["/#/model/Qwen%2FQwen3-8B?context=32768", ".ladder tbody tr"],
      ["/#/scatter", ".chart canvas"],
      ["/#/machine?search=qwen3-8b&gpu=NVIDIA+GeForce+RTX+4090&vram=24&ram=64", "table.rows tbody tr"],
    ];
    const found: string[] = [];
    // Every view in light; in dark the views with the most colours (contrast is what changes).
    for (const theme of ["light", "dark"]) {
      await page.goto(`${agent.address}/`);
      await page.evaluate((t) => localStorage.setItem("nodefit.theme", t), theme);
      for (const [path, ready] of theme === "light" ? views : views.slice(0, 3)) {
        await page.goto(`${agent.address}${path}`);
        await page.reload(); // the theme is applied at load
        await page.locator(ready).first().waitFor();
        await page.locator("details").evaluateAll((ds) => ds.forEach((d) => ((d as unknown as { open: boolean }).open = true)));
        found.push(...(await axeViolations(page)).map((v) => `${theme} ${path}: ${v}`));
      }
    }
    await page.evaluate(() => localStorage.removeItem("nodefit.theme"));
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("renders at 1280 and 390 px wide without sideways scrolling (screenshots kept under docs/screenshots/)", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const shots: Array<[string, string, string]> = [
      ["node", "/#/", "table.rows tbody tr"],
      ["models", "/#/models?limit=25", "table.rows tbody tr"],
      ["model", "/#/model/Qwen%2FQwen3-30B-A3B-Instruct-2507?context=32768", ".ladder tbody tr"],
      ["scatter", "/#/scatter", ".chart canvas"],
      ["machine", "/#/machine?search=qwen3&gpu=Apple+M4+Pro&unified=1&ram=48&cpu=Apple+M4+Pro", "table.rows tbody tr"],
    ];
    for (const width of [1280, 390]) {
      const { page, errors } = await newPage();
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      for (const [name, path, ready] of shots) {
        await page.goto(`${agent.address}${path}`);
        await page.locator(ready).first().waitFor();
        if (name === "machine") await expect.poll(() => page.locator("p.count").textContent(), { timeout: 30_000 }).toMatch(/^Estimated/);
        if (name === "model") await page.locator(".chart canvas").first().waitFor();
        await page.waitForTimeout(300); // charts sized to their box
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
        const file = join(SHOTS, `${name}-${width}.png`);
        // The page from the top, at most 2400 px of it (the reference images stay small).
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 2400) } });
        expect(statSync(file).size).toBeGreaterThan(10_000);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
