// Builds dist/huddle-client.js (one minified ES module, no runtime dependencies) with esbuild, the type
// declarations with tsc (which also type-checks), and reports the bundle's size minified and gzipped.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
const { build } = await import("esbuild").catch(() => {
  console.error("esbuild is missing: run `npm ci` at the repository root (web-client/ is one of its workspaces)");
  process.exit(1);
});
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", here + "tsconfig.json"], { stdio: "inherit" });
await build({
  entryPoints: [here + "src/index.ts"],
  outfile: here + "dist/huddle-client.js",
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
const bundle = readFileSync(here + "dist/huddle-client.js");
console.log(`dist/huddle-client.js: ${bundle.length} bytes minified, ${gzipSync(bundle, { level: 9 }).length} bytes gzipped`);
