// A database the sidecar cannot use: the exit is recognised (pure), the user gets the sidecar's one line
// with "Repair database", and the repair runs `trackit doctor --repair` while the sidecar is stopped, then
// starts it again. The last test does it for real: the real sidecar on a file that is not a database,
// the real doctor, the real restart.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type * as vscode from "vscode";
import { doctorInvocation, nodeRun, offerRepair, REPAIR_ACTION, repairDatabase, RepairDeps } from "../../src/commands/repairDatabase";
import { SidecarClient } from "../../src/sidecar/client";
import { DatabaseProblem, problemFromExit, problemFromNotification } from "../../src/sidecar/databaseProblem";
import { NotificationRegistry } from "../../src/sidecar/notifications";
import type { StatusResult } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { nodeResolveIo, resolveSidecar } from "../../src/sidecar/resolve";
import { venvPython } from "../repo";

const LINE = "trackit: /d/trackit.duckdb is damaged (Corrupt database file); repair it with: trackit doctor --repair --db /d/trackit.duckdb";

describe("database problems (pure)", () => {
  it("an exit 2 or 3 whose last `trackit:` line names the problem is a database problem", () => {
    const lines = ["2026-12-03 10:00:00 INFO trackit: serving /d/trackit.duckdb", LINE];
    assert.deepEqual(problemFromExit({ code: 2, signal: null, lastLines: lines }), { message: LINE.slice("trackit: ".length) });
    assert.deepEqual(problemFromExit({ code: 3, signal: null, lastLines: ["trackit: /d/trackit.duckdb cannot be written (Permission denied)"] }),
      { message: "/d/trackit.duckdb cannot be written (Permission denied)" });
  });

  it("a crash is not: another exit code, a signal, no verdict line, or no exit at all", () => {
    assert.equal(problemFromExit({ code: 1, signal: null, lastLines: [LINE] }), undefined);
    assert.equal(problemFromExit({ code: null, signal: "SIGKILL", lastLines: [LINE] }), undefined);
    assert.equal(problemFromExit({ code: 2, signal: null, lastLines: ["usage: trackit serve [-h]", "trackit serve: error: bad"] }), undefined);
    assert.equal(problemFromExit(undefined), undefined);
  });

  it("trackit/databaseError from a running sidecar is one too", () => {
    assert.deepEqual(problemFromNotification({ message: "x is damaged", db_path: "/d/x" }), { message: "x is damaged" });
  });

  it("the doctor runs with the sidecar's own program on the same file", () => {
    const python = { command: "/usr/bin/python3", args: ["-m", "trackit_sidecar", "serve", "--db", "/d/t.duckdb"], source: "python" as const, description: "" };
    assert.deepEqual(doctorInvocation(python), { command: "/usr/bin/python3", args: ["-m", "trackit_sidecar", "doctor", "--repair", "--db", "/d/t.duckdb"] });
    const bundled = { command: "/ext/sidecar-bin/trackit/trackit", args: ["serve", "--db", "/d/t.duckdb"], source: "bundled" as const, description: "" };
    assert.deepEqual(doctorInvocation(bundled).args, ["doctor", "--repair", "--db", "/d/t.duckdb"]);
  });
});

function fakeDeps(run: RepairDeps["run"], choices: (string | undefined)[] = []) {
  const calls: string[] = [];
  const shown: string[] = [];
  const deps: RepairDeps = {
    sidecar: { stop: async () => void calls.push("stop"), restart: async () => void calls.push("restart") },
    resolveCommand: async () => ({ ok: true, value: { command: "py", args: ["-m", "trackit_sidecar", "serve", "--db", "/d/t.duckdb"], source: "python", description: "" } }),
    run: async (command, args) => {
      calls.push(`run ${command} ${args.join(" ")}`);
      return run(command, args);
    },
    log: { info: () => undefined, error: () => undefined, show: () => void calls.push("show logs") },
    showError: async (message, ...actions) => {
      shown.push(`error: ${message} [${actions.join(", ")}]`);
      return choices.shift();
    },
    showInfo: async (message) => {
      shown.push(`info: ${message}`);
      return undefined;
    },
  };
  return { deps, calls, shown };
}

describe("Repair database", () => {
  const problem: DatabaseProblem = { message: LINE.slice("trackit: ".length) };

  it("shows the sidecar's line with the action; choosing it stops the sidecar, repairs, says what was saved, restarts", async () => {
    const saved = "repaired /d/t.duckdb: saved 5998 of 6000 executions. The damaged file is kept at /d/t.duckdb.damaged-x.";
    const { deps, calls, shown } = fakeDeps(async () => ({ code: 0, stdout: saved + "\n", stderr: "" }), [REPAIR_ACTION]);
    await offerRepair(problem, deps);
    assert.deepEqual(shown, [`error: TrackIT: ${problem.message} [Repair database, Show logs]`, `info: TrackIT: ${saved}`]);
    assert.deepEqual(calls, ["stop", "run py -m trackit_sidecar doctor --repair --db /d/t.duckdb", "restart"]);
  });

  it("a repair that fails says why and leaves the restart to the user", async () => {
    const { deps, calls, shown } = fakeDeps(
      async () => ({ code: 3, stdout: "", stderr: "trackit: database is held by PID 4242 (trackit serve, since 10:00): /d/t.duckdb\n" }),
      ["Restart sidecar"]);
    await repairDatabase(deps);
    assert.match(shown[0], /^error: TrackIT: the database was not repaired: database is held by PID 4242/);
    assert.deepEqual(calls, ["stop", "run py -m trackit_sidecar doctor --repair --db /d/t.duckdb", "restart"]);
  });

  it("dismissing the notification changes nothing", async () => {
    const { deps, calls } = fakeDeps(async () => ({ code: 0, stdout: "", stderr: "" }), [undefined]);
    await offerRepair(problem, deps);
    assert.deepEqual(calls, []);
  });
});

describe("Repair database, for real", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "trackit-repair-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const noop = () => undefined;
  const log = { info: noop, warn: noop, error: noop, debug: noop, trace: noop, append: noop, appendLine: noop, replace: noop, clear: noop, show: noop, hide: noop, dispose: noop, name: "TrackIT", logLevel: 2, onDidChangeLogLevel: () => ({ dispose: noop }) } as unknown as vscode.LogOutputChannel;

  it("the real sidecar stops on a file that is not a database; the real doctor repairs it; the sidecar runs again", async () => {
    const dbPath = path.join(tmp, "trackit.duckdb");
    writeFileSync(dbPath, "my precious notes\n".repeat(1000));
    const resolution = await resolveSidecar({ platform: process.platform, extensionPath: path.join(tmp, "no-ext"), dbPath, pythonPath: venvPython() }, nodeResolveIo);
    assert.ok(resolution.ok);
    const problems: DatabaseProblem[] = [];
    const crashes: string[] = [];
    const client = new SidecarClient({
      log,
      registry: new NotificationRegistry(),
      resolveCommand: async () => resolution,
      onStateChange: noop,
      onReady: noop,
      showError: async (m) => {
        crashes.push(m);
        return undefined;
      },
      onErrorAction: noop,
      onDatabaseProblem: (p) => void problems.push(p),
    });
    await client.restart().catch(() => undefined);
    for (let i = 0; i < 1000 && problems.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(client.state, "failed");
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /trackit\.duckdb is damaged \(the file exists, but it is not a valid DuckDB database file!\); repair it with: trackit doctor --repair/);
    assert.deepEqual(crashes, []);

    const shown: string[] = [];
    await repairDatabase({ sidecar: client, resolveCommand: async () => resolution, run: nodeRun, log,
      showError: async (m) => void shown.push(m) as undefined, showInfo: async (m) => void shown.push(m) as undefined });
    assert.match(shown[0], /could not be opened .* A fresh, empty database is in its place; the damaged file is kept at/);
    assert.equal(client.state, "running");
    const status = await client.request<StatusResult>(Methods.STATUS, {});
    assert.equal(status.db_mode, "owner");
    assert.ok(readdirSync(tmp).some((f) => f.startsWith("trackit.duckdb.damaged-")), "the damaged file is kept beside it");
    await client.dispose();
  });
});
