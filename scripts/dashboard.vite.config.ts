// The dashboard's build (`npm run build`, after tsc): src/dashboard/ bundled by vite into dist/dashboard/ (index.html,
// assets/ with hashed names), every text file also written gzipped beside it for the agent to send as it is.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

const ROOT = fileURLToPath(new URL("../src/dashboard/", import.meta.url));
const OUT = fileURLToPath(new URL("../dist/dashboard/", import.meta.url));

/** Files worth compressing (images are compressed already). */
const TEXT = /\.(?:html|js|css|svg|json|txt)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Writes `<file>.gz` beside each text file of the bundle, at gzip's best level (the agent never compresses itself). */
function precompress(): Plugin {
  return {
    name: "nodefit-precompress",
    apply: "build",
    writeBundle() {
      for (const file of walk(OUT)) {
        if (!TEXT.test(file)) continue;
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

export default defineConfig({
  root: ROOT,
  base: "/",
  publicDir: false,
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: OUT,
    emptyOutDir: true,
    target: "es2022",
    // Every asset a file of its own: the page's CSP allows no data: URLs.
    assetsInlineLimit: 0,
    // No polyfill code, no inline script: the CSP allows only the page's own files.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    sourcemap: false,
  },
  plugins: [precompress()],
});
