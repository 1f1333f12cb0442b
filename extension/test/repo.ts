// Locating the repository and its Python venv from compiled tests (out/test/...).
import { existsSync } from "node:fs";
import * as path from "node:path";

export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "pyproject.toml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no pyproject.toml above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** TRACKIT_PYTHON, else the repo's .venv python. Throws (never skips) when there is none. */
export function venvPython(): string {
  const override = process.env.TRACKIT_PYTHON;
  if (override) return override;
  const root = repoRoot();
  const candidates = [path.join(root, ".venv", "bin", "python"), path.join(root, ".venv", "Scripts", "python.exe")];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(`no Python venv at ${candidates.join(" or ")}: create it (pip install -e .) or set TRACKIT_PYTHON`);
  }
  return found;
}
