// Harness for driving the built TrackIT VSIX in real VS Code (code-server) with Chromium via playwright-core.
// Used by vscode.e2e.test.mjs and bench/bench_extension.mjs. Every process it starts is recorded and killed
// by Harness.close(), whatever happened.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = path.resolve(E2E_DIR, "..", "..");
const E2E_PACKAGE = JSON.parse(fs.readFileSync(path.join(E2E_DIR, "package.json"), "utf8"));
const SETUP_HINT = "run `scripts/setup_e2e.sh` (as root on a fresh Debian machine) first";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `probe` until it returns a truthy value; throw `message` (plus the last error) on timeout. */
export async function waitFor(probe, { timeout = 30000, interval = 250, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${lastError.message}` : ""}`);
    }
    await sleep(interval);
  }
}

/** Everything the e2e run needs from the machine; a clear error naming the fix when something is missing. */
export function locateTools() {
  const problems = [];
  const version = E2E_PACKAGE.trackitE2e.codeServerVersion;
  const e2eHome = process.env.TRACKIT_E2E_HOME || path.join(os.homedir(), ".cache", "trackit-e2e");
  const codeServer = process.env.TRACKIT_CODE_SERVER || path.join(e2eHome, `code-server-${version}`, "node_modules", ".bin", "code-server");
  if (!fs.existsSync(codeServer)) problems.push(`code-server not found at ${codeServer}: ${SETUP_HINT}`);
  const chromium = process.env.TRACKIT_CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) problems.push(`Chromium not found at ${chromium}: ${SETUP_HINT}`);
  const python = process.env.TRACKIT_E2E_PYTHON || path.join(REPO_ROOT, ".venv", "bin", "python");
  if (!fs.existsSync(python)) problems.push(`Python with ipykernel not found at ${python} (the repo .venv)`);
  const vsce = path.join(E2E_DIR, "node_modules", ".bin", "vsce");
  if (!fs.existsSync(vsce)) problems.push(`@vscode/vsce missing in tests/e2e/node_modules: ${SETUP_HINT}`);
  let playwright;
  try {
    playwright = createRequire(path.join(E2E_DIR, "package.json"))("playwright-core");
  } catch {
    problems.push(`playwright-core missing in tests/e2e/node_modules: ${SETUP_HINT}`);
  }
  const target = `${process.platform}-${process.arch}`;
  let vsix = process.env.TRACKIT_VSIX;
  if (!vsix) {
    const distDir = path.join(REPO_ROOT, "dist");
    const candidates = fs.existsSync(distDir)
      ? fs.readdirSync(distDir).filter((f) => f.startsWith(`trackit-${target}-`) && f.endsWith(".vsix"))
      : [];
    candidates.sort((a, b) => fs.statSync(path.join(distDir, b)).mtimeMs - fs.statSync(path.join(distDir, a)).mtimeMs);
    vsix = candidates.length ? path.join(distDir, candidates[0]) : undefined;
  }
  if (!vsix || !fs.existsSync(vsix)) problems.push(`no dist/trackit-${target}-*.vsix: run \`npm run package\` first`);
  if (problems.length) throw new Error(`e2e prerequisites missing:\n  - ${problems.join("\n  - ")}`);
  return { codeServer, chromium, python, vsce, playwright, vsix, bridge: path.join(E2E_DIR, "kernel_bridge.py") };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: "utf8", timeout: 180000, ...options });
  if (result.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** PIDs of TrackIT sidecars serving `dbPath`, found by command line (`serve --db <dbPath>`). Linux /proc. */
export function sidecarPids(dbPath) {
  const pids = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv;
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    const serve = argv.indexOf("serve");
    if (serve < 0) continue;
    const db = argv.indexOf("--db");
    const dbValue = db >= 0 ? argv[db + 1] : argv.find((a) => a.startsWith("--db="))?.slice(5);
    if (dbValue && path.resolve(dbValue) === path.resolve(dbPath)) pids.push(Number(entry));
  }
  return pids;
}

/** PIDs whose command line mentions `fragment` (our unique temp root): kernels, sidecars, bridges. Linux /proc. */
export function pidsMentioning(fragment) {
  const pids = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(fragment)) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

/** The controller's JSON-lines log (see test-controller/extension.js) as objects. */
export function readControllerLog(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** A tree row as "label | description" (innerText would glue the two together). */
async function rowText(row) {
  return row.evaluate((el) => {
    const clean = (t) => (t || "").replace(/\s+/g, " ").trim();
    const name = el.querySelector(".label-name");
    const description = el.querySelector(".label-description");
    if (!name) return clean(el.textContent);
    return description && clean(description.textContent) ? `${clean(name.textContent)} | ${clean(description.textContent)}` : clean(name.textContent);
  });
}

export class Harness {
  /**
   * @param {object} opts
   * @param {string} opts.name            short name for the temp dir and artifacts
   * @param {(ws: string) => void} opts.populate  fills the workspace folder
   * @param {object} [opts.settings]      extra user settings
   * @param {object} [opts.env]           extra environment for code-server (e.g. the test controller's switches)
   */
  constructor({ name, populate, settings = {}, env = {} }) {
    this.name = name;
    this.populate = populate;
    this.extraSettings = settings;
    this.extraEnv = env;
    this.children = [];
    this.artifacts = path.join(REPO_ROOT, "test-artifacts", "e2e");
    fs.mkdirSync(this.artifacts, { recursive: true });
  }

  async start() {
    this.tools = locateTools();
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `trackit-e2e-${this.name}-`));
    this.ws = path.join(this.root, "workspace");
    this.userData = path.join(this.root, "user-data");
    this.extensionsDir = path.join(this.root, "extensions");
    this.dbPath = path.join(this.root, "db", "trackit.duckdb");
    this.logFile = path.join(this.root, "trackit.log");
    this.controllerLog = path.join(this.root, "controller.jsonl");
    this.runtimeDir = path.join(this.root, "jupyter-runtime");
    for (const dir of [this.ws, path.join(this.userData, "User"), this.extensionsDir, path.dirname(this.dbPath), this.runtimeDir]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    this.populate(this.ws);
    const settings = {
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "notebook.confirmDeleteRunningCell": false,
      "files.autoSave": "off",
      "editor.hover.delay": 150,
      "trackit.databasePath": this.dbPath,
      ...this.extraSettings,
      // For debugging a run by hand (e.g. a sidecar wrapper); never set by the tests themselves.
      ...(process.env.TRACKIT_E2E_EXTRA_SETTINGS ? JSON.parse(process.env.TRACKIT_E2E_EXTRA_SETTINGS) : {}),
    };
    fs.writeFileSync(path.join(this.userData, "User", "settings.json"), JSON.stringify(settings, null, 2));

    // The test controller is packaged fresh each run (vsce, ~1 s) so it always matches the sources.
    const controllerVsix = path.join(this.root, "trackit-test-controller.vsix");
    run(this.tools.vsce, ["package", "--allow-missing-repository", "--skip-license", "--out", controllerVsix], {
      cwd: path.join(E2E_DIR, "test-controller"),
    });
    for (const vsix of [this.tools.vsix, controllerVsix]) {
      run(this.tools.codeServer, ["--extensions-dir", this.extensionsDir, "--user-data-dir", this.userData, "--install-extension", vsix]);
    }

    this.port = await freePort();
    const env = {
      ...process.env,
      TRACKIT_LOG_FILE: this.logFile,
      TRACKIT_E2E_PYTHON: this.tools.python,
      TRACKIT_E2E_BRIDGE: this.tools.bridge,
      TRACKIT_E2E_CONTROLLER_LOG: this.controllerLog,
      // Kernels, and whatever looks for them, use this run's own runtime dir: parallel runs stay apart.
      JUPYTER_RUNTIME_DIR: this.runtimeDir,
      ...this.extraEnv,
    };
    // The frozen sidecar from the VSIX must be what runs: hide the repo's Python packages from the extension.
    delete env.VIRTUAL_ENV;
    delete env.PYTHONPATH;
    env.PATH = (env.PATH || "").split(path.delimiter).filter((dir) => !dir.includes(`${path.sep}.venv${path.sep}`)).join(path.delimiter);
    this.codeServerLog = path.join(this.root, "code-server.log");
    const out = fs.openSync(this.codeServerLog, "a");
    const args = [
      "--auth", "none", "--bind-addr", `127.0.0.1:${this.port}`, "--disable-telemetry", "--disable-update-check",
      "--disable-workspace-trust", "--user-data-dir", this.userData, "--extensions-dir", this.extensionsDir, this.ws,
    ];
    // detached: own process group, so close() can kill code-server with its extension host, sidecar and kernels.
    this.codeServer = spawn(this.tools.codeServer, args, { env, detached: true, stdio: ["ignore", out, out] });
    this.children.push(this.codeServer);
    await waitFor(
      async () => {
        if (this.codeServer.exitCode !== null) throw new Error(`code-server exited: ${this.tail(this.codeServerLog)}`);
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`).catch(() => null);
        return res && res.ok;
      },
      { timeout: 60000, message: "code-server to listen" },
    );

    this.browser = await this.tools.playwright.chromium.launch({
      executablePath: this.tools.chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    this.page = await this.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.ws)}`);
    await this.page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    // The status bar's remote indicator appears once the remote extension host is connected.
    await this.page.waitForSelector(".statusbar", { timeout: 60000 });
    return this;
  }

  tail(file, lines = 40) {
    try {
      return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return `(no ${file})`;
    }
  }

  async screenshot(name) {
    const file = path.join(this.artifacts, `${name}.png`);
    if (this.page) await this.page.screenshot({ path: file }).catch(() => {});
    return file;
  }

  /** On failure: a screenshot plus the logs that explain it, in the thrown message. */
  async diagnose(name, err) {
    const shot = await this.screenshot(`${name}-FAILED`);
    const details = [
      `screenshot: ${shot}`,
      `--- TRACKIT_LOG_FILE (${this.logFile}) ---\n${this.tail(this.logFile)}`,
      `--- controller log ---\n${this.tail(this.controllerLog, 10)}`,
      `--- code-server log ---\n${this.tail(this.codeServerLog, 15)}`,
    ];
    err.message = `${err.message}\n${details.join("\n")}`;
    return err;
  }

  // ---------------------------------------------------------------- UI helpers
  async runCommand(label, { exact = true } = {}) {
    const page = this.page;
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 10000 });
    await input.fill(`>${label}`);
    const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: label }).first();
    await row.waitFor({ state: "visible", timeout: 15000 }).catch(() => {
      throw new Error(`command "${label}" is not in the Command Palette`);
    });
    if (exact) {
      const labels = await page.locator(".quick-input-widget .monaco-list-row .label-name").allInnerTexts();
      const index = labels.findIndex((l) => l.replace(/\s+/g, " ").trim() === label);
      if (index < 0) throw new Error(`command "${label}" not found exactly; palette shows: ${labels.join(" | ")}`);
      await page.locator(".quick-input-widget .monaco-list-row").nth(index).click();
    } else {
      await page.keyboard.press("Enter");
    }
  }

  async openFile(relativePath) {
    const page = this.page;
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 10000 });
    await input.fill(relativePath);
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: path.basename(relativePath) }).first()
      .waitFor({ state: "visible", timeout: 15000 });
    await page.keyboard.press("Enter");
  }

  async openNotebook(relativePath) {
    await this.openFile(relativePath);
    await this.page.locator(".notebookOverlay .cell-editor-container .view-line").first()
      .waitFor({ state: "visible", timeout: 30000 });
  }

  /** The rendered editor line of a notebook cell holding `text`, scrolling the (virtualised) notebook to it. */
  async notebookLine(text) {
    const page = this.page;
    const line = page.locator(".notebookOverlay .view-line", { hasText: text }).first();
    const list = page.locator(".notebookOverlay .cell-list-container").first();
    const box = await list.boundingBox();
    if (!box) throw new Error("no notebook editor on screen");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 60 && !(await line.count()); i++) {
      await page.mouse.wheel(0, i < 30 ? 500 : -500); // down first, then back up if it was above
      await sleep(100);
    }
    if (!(await line.count())) throw new Error(`no notebook cell shows the line \`${text}\``);
    await line.scrollIntoViewIfNeeded();
    return line;
  }

  /** Notebook: Run All; picks "TrackIT Test Kernel" if VS Code asks for a kernel. */
  async runAllCells() {
    await this.runCommand("Notebook: Run All");
    const picker = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: "TrackIT Test Kernel" }).first();
    if (await picker.isVisible({ timeout: 3000 }).catch(() => false)) await picker.click();
  }

  doneExecutions(notebookFile) {
    const uriSuffix = encodeURI(path.basename(notebookFile));
    return readControllerLog(this.controllerLog).filter((e) => e.event === "done" && e.notebook.endsWith(uriSuffix));
  }

  async waitForExecutions(notebookFile, count, timeout = 180000, { allowErrors = false } = {}) {
    return waitFor(
      () => {
        const done = this.doneExecutions(notebookFile);
        const failed = !allowErrors && done.find((e) => e.status !== "ok");
        if (failed) throw new Error(`cell ${failed.cell_index} ended with ${failed.status}`);
        return done.length >= count ? done : null;
      },
      { timeout, interval: 200, message: `${count} finished executions of ${notebookFile}` },
    );
  }

  /** Show the TrackIT Lineage view in the Explorer, expanded; returns its pane locator. */
  async showLineageView() {
    const page = this.page;
    await this.runCommand("View: Show Explorer");
    const header = page.locator(".pane-header", { hasText: "TrackIT Lineage" }).first();
    await header.waitFor({ state: "visible", timeout: 30000 }).catch(() => {
      throw new Error('the Explorer has no "TrackIT Lineage" view (extension not installed or not activated?)');
    });
    if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();
    // Collapse the file tree so the lineage view gets the height.
    const folders = page.locator(".pane-header[aria-expanded='true']", { hasNotText: "TrackIT Lineage" });
    for (const other of await folders.all()) await other.click().catch(() => {});
    return page.locator(".pane", { has: header });
  }

  /** Texts ("label | description") of the rendered rows of the lineage tree. */
  async lineageRows() {
    return this.viewRows("TrackIT Lineage");
  }

  /** Texts ("label | description") of the rendered rows of the Explorer's view titled `title`. */
  async viewRows(title) {
    const pane = this.page.locator(".pane", { has: this.page.locator(".pane-header", { hasText: title }) });
    const texts = [];
    for (const row of await pane.locator(".monaco-list-row").all()) texts.push(await rowText(row));
    return texts;
  }

  /**
   * Walk the lineage tree top to bottom with the keyboard and return every row's text (the list is
   * virtualised: only rows on screen exist in the DOM, so reading them all at once would miss most).
   * Rows for which `expand(text)` is true are expanded on the way (ArrowRight).
   */
  async walkLineageTree(expand = () => false, maxRows = 500) {
    const pane = await this.showLineageView();
    const first = pane.locator(".monaco-list-row").first();
    await first.waitFor({ state: "visible", timeout: 30000 });
    await first.click();
    await this.page.keyboard.press("Home");
    const seen = [];
    const focused = pane.locator(".monaco-list-row.focused");
    for (let i = 0; i < maxRows; i++) {
      const index = await focused.getAttribute("data-index", { timeout: 5000 });
      const text = await rowText(focused);
      seen.push(text);
      if (expand(text) && (await focused.getAttribute("aria-expanded")) === "false") {
        const level = Number(await focused.getAttribute("aria-level"));
        await this.page.keyboard.press("ArrowRight");
        // Children load asynchronously (a sidecar request): wait until the next row is one level deeper.
        const next = pane.locator(`.monaco-list-row[data-index="${Number(index) + 1}"]`);
        await waitFor(async () => Number(await next.getAttribute("aria-level", { timeout: 200 })) > level, { timeout: 5000, interval: 50 })
          .catch(() => {});
      }
      const step = async () => {
        await this.page.keyboard.press("ArrowDown");
        return waitFor(async () => (await focused.getAttribute("data-index")) !== index, { timeout: 1500, interval: 50 })
          .catch(() => false);
      };
      let moved = await step();
      // A repaint landing between the key press and the list's focus (a run stored while walking) can eat the key:
      // if a next row exists, give the list keyboard focus again (no click: a click toggles a collapsible row) and
      // retry once; only the last row ends the walk.
      if (!moved && (await pane.locator(`.monaco-list-row[data-index="${Number(index) + 1}"]`).count()) > 0) {
        await pane.locator(".monaco-list").first().focus();
        moved = await step();
      }
      if (!moved) break; // the last row
    }
    return seen;
  }

  // ---------------------------------------------------------------- teardown
  async stopCodeServer() {
    await this.browser?.close().catch(() => {});
    this.browser = undefined;
    const proc = this.codeServer;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    try {
      process.kill(-proc.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    const timedOut = await Promise.race([exited.then(() => false), sleep(15000).then(() => true)]);
    if (timedOut) this.killGroup(proc);
  }

  killGroup(proc) {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }

  /** Stop everything this harness started; safe to call twice. Keeps the temp dir if KEEP_E2E_TMP=1. */
  async close() {
    await this.stopCodeServer().catch(() => {});
    for (const child of this.children) this.killGroup(child);
    // Kernels run in their own session (jupyter_client), so the process-group kill misses them if their
    // bridge could not shut them down; they, and any escaped sidecar, name our unique temp root.
    if (this.root) {
      const leftovers = pidsMentioning(this.root);
      if (leftovers.length) {
        await sleep(3000); // bridges shut their kernels down on SIGTERM; give them the time
        for (const pid of pidsMentioning(this.root)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* gone */
          }
        }
      }
    }
    if (this.root && process.env.KEEP_E2E_TMP !== "1") fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** `trackit lineage NB --db DB --json` with the repo's sidecar package; returns the parsed document. */
/** Whether the kernel behind `connectionFile` holds TrackIT's probe, asked silently (it must be alive). */
export function kernelHasProbe(python, connectionFile) {
  const script = [
    "import sys",
    "from jupyter_client import BlockingKernelClient",
    "from trackit_sidecar.kernel.silent_requests import silent_expression",
    "client = BlockingKernelClient()",
    "client.load_connection_file(sys.argv[1])",
    "client.start_channels()",
    "print(silent_expression(client, \"'_trackit_probe' in __import__('sys').modules\", 20))",
    "client.stop_channels()",
  ].join("\n");
  return run(python, ["-c", script, connectionFile], { cwd: REPO_ROOT }).trim() === "True";
}

export function lineageJson(python, notebookPath, dbPath) {
  const out = run(python, ["-m", "trackit_sidecar", "lineage", notebookPath, "--db", dbPath, "--json"], { cwd: REPO_ROOT });
  return JSON.parse(out);
}
