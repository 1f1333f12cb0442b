// Pure: is a notebook excluded by trackit.exclude globs? Globs are matched against the path relative
// to each workspace folder and against the absolute path, like files.exclude ("**/scratch/**").
import { minimatch } from "minimatch";
import * as path from "node:path";

export function isExcluded(notebookFsPath: string, globs: readonly string[], workspaceFolders: readonly string[]): boolean {
  if (globs.length === 0 || !notebookFsPath) return false;
  const candidates = [toSlash(notebookFsPath)];
  for (const folder of workspaceFolders) {
    const rel = path.relative(folder, notebookFsPath);
    if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) candidates.push(toSlash(rel));
  }
  return globs.some((glob) => candidates.some((c) => minimatch(c, toSlash(glob), { dot: true, nocase: process.platform === "win32" })));
}

function toSlash(p: string): string {
  return p.replace(/\\/g, "/");
}
