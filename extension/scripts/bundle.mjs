// Bundles: the extension, as two CommonJS files (`vscode` is provided by the host):
//   - dist/extension.js, the entry: what activate() wires (commands, views, events, the tree); small, because
//     VS Code counts its loading in the extension's activation time;
//   - dist/sidecarConnection.js: src/sidecar/connection.ts with vscode-languageclient, loaded by
//     sidecar/client.ts when the sidecar first starts (after activate() has returned);
// and each webview page's script (webview/<name>.ts -> dist/webview/<name>.js, for the browser, with
// its view model and graph-layout / Markdown libraries: nothing is loaded from a CDN). Styles are media/*.css.
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes("--production");
// --outfile PATH: the extension alone (both its files, side by side), elsewhere (the activation unit test
// bundles into a temp dir, never into dist/).
const outIndex = process.argv.indexOf("--outfile");
const outfile = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(root, "dist", "extension.js");
const LAZY_CONNECTION = "sidecarConnection.js";

// client.ts's `import("./connection")` stays a require of the file next to the entry, not inlined.
const connectionOutside = {
  name: "connection-outside",
  setup(build) {
    build.onResolve({ filter: /^\.\/connection$/ }, (args) =>
      args.importer.endsWith(path.join("src", "sidecar", "client.ts")) ? { path: `./${LAZY_CONNECTION}`, external: true } : undefined,
    );
  },
};
const node = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  external: ["vscode"],
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
};
await esbuild.build({ ...node, entryPoints: ["src/extension.ts"], outfile, plugins: [connectionOutside] });
await esbuild.build({ ...node, entryPoints: ["src/sidecar/connection.ts"], outfile: path.join(path.dirname(outfile), LAZY_CONNECTION) });

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
