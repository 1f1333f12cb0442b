// One CommonJS bundle (extension code + vscode-languageclient); `vscode` is provided by the host.
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes("--production");
// --outfile PATH: build elsewhere (the activation unit test bundles into a temp dir, never into dist/).
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
