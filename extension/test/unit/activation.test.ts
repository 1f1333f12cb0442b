// Smoke test of the wiring: the real esbuild bundle (built by scripts/bundle.mjs into a temp dir) is
// activated against the mocked `vscode` module. It must register every contributed command and view,
// and when no sidecar can be found it must say what to do and show the error state, losing nothing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as vscode from "vscode";
import { venvPython } from "../repo";

const extRoot = path.join(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(path.join(extRoot, "package.json"), "utf8"));

function freshBundle(dir: string): string {
  // Built for this run into a temp dir: a stale dist/ would test old code, and dist/ may be in use.
  const bundle = path.join(dir, "bundle", "extension.js");
  execFileSync(process.execPath, [path.join(extRoot, "scripts", "bundle.mjs"), "--outfile", bundle], { cwd: extRoot, stdio: "inherit" });
  assert.ok(existsSync(bundle));
  return bundle;
}

async function until(check: () => boolean, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe("activation (bundle + mocked vscode)", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "trackit-activate-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("registers all contributed commands and the view, and reports a missing sidecar clearly", async () => {
    const v = vscode as any;
    const commands = new Map<string, Function>();
    const errors: string[] = [];
    const infos: string[] = [];
    const logLines: string[] = [];
    const statusItem: any = { show() {}, dispose() {} };
    const views: string[] = [];
    const cellProviders: string[] = [];
    const noEvent = () => ({ dispose() {} });
    const settings: Record<string, unknown> = { "sidecar.pythonPath": path.join(tmp, "no-such-python") };
    Object.assign(v.workspace, {
      isTrusted: true,
      notebookDocuments: [],
      getConfiguration: () => ({ get: (k: string) => settings[k], inspect: (k: string) => ({ globalValue: settings[k] }) }),
      onDidChangeConfiguration: noEvent,
      onDidGrantWorkspaceTrust: noEvent,
      onDidChangeNotebookDocument: noEvent,
      onDidOpenNotebookDocument: noEvent,
      onDidCloseNotebookDocument: noEvent,
    });
    const logger = (level: string) => (m: string) => logLines.push(`${level} ${m}`);
    Object.assign(v.window, {
      createOutputChannel: (name: string, opts: unknown) => {
        assert.equal(name, "TrackIT");
        assert.deepEqual(opts, { log: true });
        return { info: logger("info"), warn: logger("warn"), error: logger("error"), debug: logger("debug"), trace: logger("trace"), show() {}, dispose() {} };
      },
      createStatusBarItem: () => statusItem,
      createTreeView: (id: string) => {
        views.push(id);
        return { dispose() {}, onDidCollapseElement: () => ({ dispose() {} }) };
      },
      showErrorMessage: async (m: string) => {
        errors.push(m);
        return undefined;
      },
      showInformationMessage: async (m: string) => {
        infos.push(m);
        return undefined;
      },
      onDidChangeActiveNotebookEditor: noEvent,
    });
    v.commands.registerCommand = (id: string, fn: Function) => {
      commands.set(id, fn);
      return { dispose() {} };
    };
    v.notebooks.registerNotebookCellStatusBarItemProvider = (type: string) => {
      cellProviders.push(type);
      return { dispose() {} };
    };
    const state = new Map<string, unknown>();
    const context: any = {
      subscriptions: [],
      workspaceState: { get: (k: string) => state.get(k), update: async (k: string, val: unknown) => void state.set(k, val) },
      storageUri: vscode.Uri.file(path.join(tmp, "storage")),
      globalStorageUri: vscode.Uri.file(path.join(tmp, "global")),
      extensionPath: path.join(tmp, "ext-without-sidecar-bin"),
      extension: { packageJSON: manifest },
    };

    const bundle = freshBundle(tmp);
    // VS Code counts loading the entry in the activation time: the language client is a second file, loaded
    // when the sidecar first starts, after activate() has returned.
    assert.doesNotMatch(readFileSync(bundle, "utf8"), /vscode-languageclient|vscode-jsonrpc/, "the entry bundle holds no language client");
    const lazy = path.join(path.dirname(bundle), "sidecarConnection.js");
    assert.match(readFileSync(lazy, "utf8"), /vscode-languageclient/);
    const ext = require(bundle);
    ext.activate(context);
    assert.equal(require.cache[lazy], undefined, "activate() returned without loading the language client");

    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    for (const id of contributed) assert.ok(commands.has(id), `command ${id} registered`);
    assert.deepEqual(views.sort(), ["trackit.experiments", "trackit.lineage"]);
    assert.deepEqual(cellProviders.sort(), ["interactive", "jupyter-notebook"]);

    await until(() => errors.length > 0, "an error message about the missing sidecar");
    assert.match(errors[0], /trackit\.sidecar\.pythonPath.*cannot `import trackit_sidecar`/);
    assert.equal(statusItem.text, "$(error) TrackIT");
    assert.equal(statusItem.command, "trackit.showLogs");
    assert.ok(logLines.some((l) => l.startsWith("error ") && l.includes("trackit_sidecar")), "the reason is in the log");

    // Pause/resume persist per notebook in workspaceState.
    await commands.get("trackit.pauseTracking")!("file:///work/a.ipynb");
    assert.deepEqual(state.get("trackit.pausedNotebooks"), ["file:///work/a.ipynb"]);
    await commands.get("trackit.resumeTracking")!("file:///work/a.ipynb");
    assert.deepEqual(state.get("trackit.pausedNotebooks"), []);
    assert.deepEqual(infos, ["TrackIT: tracking paused for this notebook.", "TrackIT: tracking resumed for this notebook."]);
    assert.equal(errors.length, 1, "pause/resume raised no error");

    // Notebook controllers announce their kernel; a malformed call is logged, never shown to the user.
    const announce = commands.get("trackit.notebookKernel")!;
    assert.equal(announce({ notebook: "file:///work/a.ipynb" }), false);
    assert.ok(logLines.some((l) => l.startsWith("warn ") && l.includes("connectionFile or kernelId is required")));
    assert.equal(announce({ notebook: "file:///work/a.ipynb", connectionFile: "/run/kernel-1.json", kernelName: "python3" }), true);
    assert.ok(logLines.some((l) => l.includes("kernel /run/kernel-1.json (python3) announced for file:///work/a.ipynb")));
    assert.equal(errors.length, 1, "announcements raised no error");

    // A command needing the sidecar fails with a message, not an exception.
    await commands.get("trackit.previewPrompt")!("file:///work/a.ipynb");
    assert.match(errors[errors.length - 1], /sidecar is not running/);
    await ext.deactivate();
  });

  it("a database the sidecar cannot open is shown with Repair database, which repairs it and starts the sidecar", async () => {
    const v = vscode as any;
    const dbPath = path.join(tmp, "damaged", "trackit.duckdb");
    mkdirSync(path.dirname(dbPath));
    writeFileSync(dbPath, "not a database\n".repeat(500));
    const settings: Record<string, unknown> = { "sidecar.pythonPath": venvPython(), databasePath: dbPath };
    const errors: { message: string; actions: string[] }[] = [];
    const infos: string[] = [];
    const statusItem: any = { show() {}, dispose() {} };
    const noEvent = () => ({ dispose() {} });
    const noop = () => undefined;
    Object.assign(v.workspace, {
      getConfiguration: () => ({ get: (k: string) => settings[k], inspect: (k: string) => ({ globalValue: settings[k] }) }),
    });
    Object.assign(v.window, {
      createOutputChannel: () => ({ info: noop, warn: noop, error: noop, debug: noop, trace: noop, append: noop, appendLine: noop, show() {}, dispose() {} }),
      createStatusBarItem: () => statusItem,
      createTreeView: () => ({ dispose() {}, onDidCollapseElement: () => ({ dispose() {} }) }),
      showErrorMessage: async (message: string, ...actions: string[]) => {
        errors.push({ message, actions });
        return actions.includes("Repair database") ? "Repair database" : undefined;
      },
      showInformationMessage: async (m: string) => {
        infos.push(m);
        return undefined;
      },
      onDidChangeActiveNotebookEditor: noEvent,
    });
    v.commands.registerCommand = () => ({ dispose() {} });
    v.notebooks.registerNotebookCellStatusBarItemProvider = () => ({ dispose() {} });
    const context: any = {
      subscriptions: [],
      workspaceState: { get: () => undefined, update: async () => undefined },
      storageUri: vscode.Uri.file(path.join(tmp, "storage2")),
      globalStorageUri: vscode.Uri.file(path.join(tmp, "global2")),
      extensionPath: path.join(tmp, "ext-without-sidecar-bin"),
      extension: { packageJSON: manifest },
    };
    const bundle = freshBundle(path.join(tmp, "second"));
    const ext = require(bundle);
    ext.activate(context);
    await until(() => infos.some((m) => m.includes("fresh, empty database")), "the repair's report", 3000);
    assert.ok(require.cache[path.join(path.dirname(bundle), "sidecarConnection.js")], "the sidecar's client came from the second file");
    assert.equal(errors.length, 1, `one notification, no crash loop: ${JSON.stringify(errors)}`);
    assert.match(errors[0].message, /^TrackIT: .*trackit\.duckdb is damaged \(the file exists, but it is not a valid DuckDB database file!\)/);
    assert.deepEqual(errors[0].actions, ["Repair database", "Show logs"]);
    assert.ok(readdirSync(path.dirname(dbPath)).some((f) => f.startsWith("trackit.duckdb.damaged-")), "the damaged file is kept");
    await until(() => statusItem.text === "$(pulse) TrackIT", "the sidecar recording again", 3000);
    await ext.deactivate();
  });
});
