// Debian's chromium, driven by playwright-core (no browser is downloaded): launched headless with a fresh profile.
// Missing chromium is an error that says how to install it, never a skipped test (CI installs the package).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env["NODEFIT_CHROMIUM"] ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Launches chromium with a profile of its own (`--user-data-dir` a new temporary folder). */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `chromium is missing at ${CHROMIUM}: the dashboard's browser tests need Debian's chromium package ` +
        "(apt-get install -y chromium; .ci/run installs it before npm test), or NODEFIT_CHROMIUM=/path/to/chromium",
    );
  const profile = mkdtempSync(join(tmpdir(), "nodefit-chromium-"));
  try {
    // launchPersistentContext passes the profile as --user-data-dir (playwright refuses it among the args).
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport,
      timeout: 30_000,
    });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** Errors the page reported (uncaught exceptions, console errors: a CSP refusal among them), collected per page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}
