import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { bundledSidecarPath, NO_SIDECAR_MESSAGE, nodeResolveIo, resolveSidecar, ResolveIo } from "../../src/sidecar/resolve";
import { venvPython } from "../repo";

function fakeIo(opts: { files?: string[]; path?: Record<string, string>; importable?: string[] }): ResolveIo & { probed: string[] } {
  const probed: string[] = [];
  return {
    probed,
    isFile: (p) => (opts.files ?? []).includes(p),
    which: (name) => opts.path?.[name],
    canImportSidecar: async (python) => {
      probed.push(python);
      return (opts.importable ?? []).includes(python);
    },
  };
}
const base = { platform: "linux" as NodeJS.Platform, extensionPath: "/ext", dbPath: "/db/trackit.duckdb" };

describe("sidecar resolution (pure order)", () => {
  it("1. an explicit trackit.sidecar.path wins over everything", async () => {
    const io = fakeIo({ files: [bundledSidecarPath("/ext", "linux")], importable: ["/usr/bin/python3"], path: { python3: "/usr/bin/python3" } });
    const r = await resolveSidecar({ ...base, sidecarPath: "/opt/trackit" }, io);
    assert.deepEqual(r, { ok: true, value: { command: "/opt/trackit", args: ["serve", "--db", "/db/trackit.duckdb"], source: "setting", description: "trackit.sidecar.path (/opt/trackit)" } });
    assert.deepEqual(io.probed, [], "no Python probed");
  });

  it("1b. an explicit command line with arguments is split (a real file path with spaces is not)", async () => {
    const r = await resolveSidecar({ ...base, sidecarPath: '/opt/py/bin/python -m trackit_sidecar' }, fakeIo({}));
    assert.deepEqual(r.ok && [r.value.command, ...r.value.args], ["/opt/py/bin/python", "-m", "trackit_sidecar", "serve", "--db", "/db/trackit.duckdb"]);
    const quoted = await resolveSidecar({ ...base, sidecarPath: '"/my tools/trackit" --verbose' }, fakeIo({}));
    assert.deepEqual(quoted.ok && [quoted.value.command, ...quoted.value.args], ["/my tools/trackit", "--verbose", "serve", "--db", "/db/trackit.duckdb"]);
    const spaced = await resolveSidecar({ ...base, sidecarPath: "/my tools/trackit" }, fakeIo({ files: ["/my tools/trackit"] }));
    assert.deepEqual(spaced.ok && [spaced.value.command, ...spaced.value.args], ["/my tools/trackit", "serve", "--db", "/db/trackit.duckdb"]);
  });

  it("2. the frozen sidecar in the VSIX (trackit.exe on Windows)", async () => {
    assert.equal(bundledSidecarPath("/ext", "linux"), path.join("/ext", "sidecar-bin", "trackit", "trackit"));
    assert.equal(bundledSidecarPath("/ext", "win32"), path.join("/ext", "sidecar-bin", "trackit", "trackit.exe"));
    const io = fakeIo({ files: [bundledSidecarPath("/ext", "linux")], importable: ["/usr/bin/python3"], path: { python3: "/usr/bin/python3" } });
    const r = await resolveSidecar(base, io);
    assert.ok(r.ok && r.value.source === "bundled" && r.value.command === bundledSidecarPath("/ext", "linux"));
    assert.deepEqual(r.ok && r.value.args, ["serve", "--db", "/db/trackit.duckdb"]);
  });

  it("3. the configured Python, as `python -m trackit_sidecar serve --db`", async () => {
    const io = fakeIo({ importable: ["/venv/bin/python"], path: { python3: "/usr/bin/python3" } });
    const r = await resolveSidecar({ ...base, pythonPath: "/venv/bin/python" }, io);
    assert.deepEqual(r.ok && r.value, {
      command: "/venv/bin/python",
      args: ["-m", "trackit_sidecar", "serve", "--db", "/db/trackit.duckdb"],
      source: "python",
      description: "/venv/bin/python -m trackit_sidecar",
    });
    assert.deepEqual(io.probed, ["/venv/bin/python"], "PATH is not consulted when a Python is configured");
  });

  it("3b. else python3 then python on PATH, skipping one that lacks trackit_sidecar", async () => {
    const io = fakeIo({ importable: ["/usr/local/bin/python"], path: { python3: "/usr/bin/python3", python: "/usr/local/bin/python" } });
    const r = await resolveSidecar(base, io);
    assert.equal(r.ok && r.value.command, "/usr/local/bin/python");
    assert.deepEqual(io.probed, ["/usr/bin/python3", "/usr/local/bin/python"]);
  });

  it("4. says what to do when nothing fits", async () => {
    const none = await resolveSidecar(base, fakeIo({ path: { python3: "/usr/bin/python3" } }));
    assert.deepEqual(none, { ok: false, message: NO_SIDECAR_MESSAGE });
    assert.match(NO_SIDECAR_MESSAGE, /trackit\.sidecar\.pythonPath/);
    const badPython = await resolveSidecar({ ...base, pythonPath: "/nope/python" }, fakeIo({}));
    assert.ok(!badPython.ok);
    assert.match(badPython.ok ? "" : badPython.message, /\/nope\/python.*cannot `import trackit_sidecar`/);
  });
});

describe("sidecar resolution (real file system and processes)", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "trackit-resolve-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("finds a real bundled sidecar file and ignores a directory with that name", () => {
    const ext = path.join(tmp, "ext");
    const bin = bundledSidecarPath(ext, process.platform);
    mkdirSync(bin, { recursive: true });
    assert.equal(nodeResolveIo.isFile(bin), false, "a directory is not the sidecar");
    rmSync(bin, { recursive: true });
    writeFileSync(bin, "#!/bin/sh\n");
    chmodSync(bin, 0o755);
    assert.equal(nodeResolveIo.isFile(bin), true);
  });

  it("probes a real Python: the repo venv can import trackit_sidecar, a bare interpreter cannot", async () => {
    assert.equal(await nodeResolveIo.canImportSidecar(venvPython()), true);
    // Same interpreter with isolated mode and no site-packages: the editable install is invisible.
    const isolated = path.join(tmp, "isolated-python");
    writeFileSync(isolated, `#!/bin/sh\nexec "${venvPython()}" -I -S "$@"\n`);
    chmodSync(isolated, 0o755);
    assert.equal(await nodeResolveIo.canImportSidecar(isolated), false);
    assert.equal(await nodeResolveIo.canImportSidecar(path.join(tmp, "does-not-exist")), false);
  });

  it("finds programs on PATH", () => {
    assert.ok(nodeResolveIo.which("node") || nodeResolveIo.which("sh"));
    assert.equal(nodeResolveIo.which("definitely-not-a-program-trackit"), undefined);
  });
});
