// Compiles src/ and test/ to out/ (one file per module, no bundling, so the test setup can swap
// the `vscode` module at resolve time) and runs every test/unit/*.test.ts with `node --test`.
// Installs nothing: it only needs the devDependencies `npm ci` already put in place.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const outdir = path.join(root, "out");
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [...tsFiles(path.join(root, "src")), ...tsFiles(path.join(root, "test"))],
  outdir,
  outbase: root,
  bundle: false,
  platform: "node",
  target: "node18",
  format: "cjs",
  sourcemap: "inline",
  logLevel: "warning",
});

const testDir = path.join(outdir, "test", "unit");
const only = process.argv.slice(2);
const tests = readdirSync(testDir)
  .filter((f) => f.endsWith(".test.js"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .map((f) => path.join(testDir, f));
if (tests.length === 0) {
  // `node --test` with no files would go searching the whole tree: refuse instead.
  console.error(`no unit tests match ${only.join(", ")}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--require", path.join(outdir, "test", "setup.js"), "--test", "--test-reporter=spec", ...tests],
  { stdio: "inherit", cwd: root },
);
process.exit(result.status ?? 1);
