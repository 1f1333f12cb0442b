// Bundles: the extension (one CommonJS file: extension code + vscode-languageclient; `vscode` is provided by
// the host) and each webview page's script (webview/<name>.ts -> dist/webview/<name>.js, for the browser, with
// its view model and graph-layout / Markdown libraries: nothing is loaded from a CDN). Styles are media/*.css.
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes("--production");
// --outfile PATH: the extension alone, elsewhere (the activation unit test bundles into a temp dir, never into dist/).
const outIndex = process.argv.indexOf("--outfile");
const outfile = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : "dist/extension.js";

await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/extension.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  external: ["vscode"],
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
});

if (outIndex < 0) {
  const pages = readdirSync(path.join(root, "webview")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: pages.map((f) => path.join("webview", f)),
    outdir: "dist/webview",
    bundle: true,
    platform: "browser",
    target: "chrome114",
    format: "iife",
    sourcemap: production ? false : "linked",
    minify: true,
    logLevel: "warning",
  });
}
