// Loaded with `node --require` before every unit test: `require("vscode")` resolves to the in-repo
// mock (test/mocks/vscode.ts), so no VS Code download is needed. Names the mock does not define
// resolve to an inert class, because vscode-languageclient subclasses many API classes at load time.
import Module = require("node:module");
import * as path from "node:path";

const mockPath = path.join(__dirname, "mocks", "vscode.js");
const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = mod._resolveFilename;
mod._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (request === "vscode") return mockPath;
  return original.call(this, request, ...rest);
};

const mock = require(mockPath) as Record<string | symbol, unknown>;
const inert = new Map<string, unknown>();
require.cache[mockPath]!.exports = new Proxy(mock, {
  get(target, prop) {
    if (prop in target) return target[prop];
    if (typeof prop === "string" && /^[A-Z]/.test(prop)) {
      if (!inert.has(prop)) inert.set(prop, class {});
      return inert.get(prop);
    }
    return undefined;
  },
});
