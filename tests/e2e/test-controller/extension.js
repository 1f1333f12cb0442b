// Test-only notebook controller "TrackIT Test Kernel": runs jupyter-notebook cells in a REAL ipykernel via
// tests/e2e/kernel_bridge.py and reports them the way a real controller (the Jupyter extension) does:
// pending executions for the whole batch, executionOrder from the kernel's execute_input, start/end timing,
// success, and outputs with nbformat's outputType in metadata. As the kernel starts it tells TrackIT which
// kernel runs the notebook (the `trackit.notebookKernel` command), as any controller can; with
// TRACKIT_E2E_ANNOUNCE=0 it does not (the tests of an unidentified kernel). Plain JS, no build step.
"use strict";

const vscode = require("vscode");
const cp = require("child_process");
const fs = require("fs");
const path = require("path");
const readline = require("readline");

const CONTROLLER_ID = "trackit-test-kernel";
const ERROR_MIME = "application/vnd.code.notebook.error";

let channel;
function log(message) {
  channel?.appendLine(`[${new Date().toISOString()}] ${message}`);
}

/** Append one JSON line to TRACKIT_E2E_CONTROLLER_LOG: the tests read it to follow the run. */
function record(event) {
  const file = process.env.TRACKIT_E2E_CONTROLLER_LOG;
  if (!file) return;
  try {
    fs.appendFileSync(file, JSON.stringify({ t: Date.now(), ...event }) + "\n");
  } catch (err) {
    log(`cannot write controller log ${file}: ${err}`);
  }
}

/** Tell TrackIT which kernel runs `notebook` (before its first cell, so its probe can be there first). */
async function announceKernel(notebook, msg) {
  if (process.env.TRACKIT_E2E_ANNOUNCE === "0") return;
  try {
    const accepted = await vscode.commands.executeCommand("trackit.notebookKernel", {
      notebook: notebook.uri,
      connectionFile: msg.connection_file,
      kernelId: msg.kernel_id,
      kernelName: msg.kernel_name,
      displayName: msg.display_name,
      language: msg.language,
    });
    record({ event: "kernel_announced", notebook: notebook.uri.toString(), kernel_id: msg.kernel_id, accepted });
  } catch (err) {
    log(`could not announce the kernel to TrackIT: ${err}`); // TrackIT not installed: nothing to tell
  }
}

/** One kernel (one bridge process) per notebook. */
class KernelSession {
  constructor(notebook) {
    const python = process.env.TRACKIT_E2E_PYTHON || "python3";
    const bridge = process.env.TRACKIT_E2E_BRIDGE;
    if (!bridge) throw new Error("TRACKIT_E2E_BRIDGE is not set: the test must point it at tests/e2e/kernel_bridge.py");
    this.notebook = notebook;
    this.notebookUri = notebook.uri.toString();
    this.nextId = 1;
    this.pending = new Map(); // request id -> {onStarted, onOutput, resolve, reject}
    this.dead = null;
    const cwd = notebook.uri.scheme === "file" ? path.dirname(notebook.uri.fsPath) : undefined;
    this.proc = cp.spawn(python, [bridge], { cwd, env: process.env, stdio: ["pipe", "pipe", "pipe"] });
    log(`bridge pid ${this.proc.pid} for ${this.notebookUri} (cwd ${cwd})`);
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    readline.createInterface({ input: this.proc.stdout }).on("line", (line) => this.onLine(line));
    readline.createInterface({ input: this.proc.stderr }).on("line", (line) => log(`bridge stderr: ${line}`));
    this.proc.on("error", (err) => this.fail(`cannot start ${python} ${bridge}: ${err.message}`));
    this.proc.on("exit", (code, signal) => this.fail(`kernel bridge exited (code ${code}, signal ${signal})`));
  }

  onLine(line) {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      log(`bridge said non-JSON: ${line}`);
      return;
    }
    if (msg.type === "starting") {
      void announceKernel(this.notebook, msg);
      return;
    }
    if (msg.type === "ready") {
      this.kernelId = msg.kernel_id;
      record({ event: "kernel_ready", notebook: this.notebookUri, kernel_id: msg.kernel_id, pid: msg.pid, connection_file: msg.connection_file });
      this.readyResolve(msg);
      return;
    }
    if (msg.type === "fatal") {
      this.fail(msg.message);
      return;
    }
    if (msg.type === "problem") {
      log(`bridge problem: ${msg.message}`);
      return;
    }
    const request = this.pending.get(msg.id);
    if (!request) return;
    if (msg.type === "started") request.onStarted(msg.execution_count);
    else if (msg.type === "output") request.onOutput(msg.output);
    else if (msg.type === "done") {
      this.pending.delete(msg.id);
      request.resolve(msg);
    }
  }

  fail(reason) {
    if (this.dead) return;
    this.dead = reason;
    log(reason);
    this.readyReject(new Error(reason));
    for (const request of this.pending.values()) request.reject(new Error(reason));
    this.pending.clear();
  }

  send(message) {
    if (this.dead) throw new Error(this.dead);
    this.proc.stdin.write(JSON.stringify(message) + "\n");
  }

  async execute(code, onStarted, onOutput) {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { onStarted, onOutput, resolve, reject });
      try {
        this.send({ op: "execute", id, code });
      } catch (err) {
        this.pending.delete(id);
        reject(err);
      }
    });
  }

  interrupt() {
    if (!this.dead) this.send({ op: "interrupt" });
  }

  dispose() {
    if (this.dead) return;
    try {
      this.send({ op: "shutdown" });
      this.proc.stdin.end();
    } catch {
      /* already gone */
    }
    // The bridge shuts its kernel down on shutdown/EOF; kill only if it hangs.
    const proc = this.proc;
    setTimeout(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    }, 5000).unref();
  }
}

/** Pure: one bridge output record -> a VS Code NotebookCellOutput (or null to ignore). */
function toCellOutput(output, executionCount) {
  if (output.kind === "stream") {
    const item = output.name === "stderr"
      ? vscode.NotebookCellOutputItem.stderr(output.text)
      : vscode.NotebookCellOutputItem.stdout(output.text);
    return new vscode.NotebookCellOutput([item], { outputType: "stream" });
  }
  if (output.kind === "error") {
    const item = vscode.NotebookCellOutputItem.error({
      name: output.ename,
      message: output.evalue,
      stack: (output.traceback || []).join("\n"),
    });
    return new vscode.NotebookCellOutput([item], { outputType: "error", originalError: output });
  }
  if (output.kind === "data") {
    const items = [];
    for (const [mime, value] of Object.entries(output.data || {})) {
      if (mime.startsWith("image/") && mime !== "image/svg+xml") {
        items.push(new vscode.NotebookCellOutputItem(Buffer.from(String(value), "base64"), mime));
      } else if (typeof value === "string") {
        items.push(vscode.NotebookCellOutputItem.text(value, mime));
      } else if (Array.isArray(value)) {
        items.push(vscode.NotebookCellOutputItem.text(value.join(""), mime));
      } else {
        items.push(vscode.NotebookCellOutputItem.json(value, mime));
      }
    }
    if (!items.length) return null;
    const metadata = { outputType: output.output_type };
    if (output.output_type === "execute_result") metadata.executionCount = executionCount;
    return new vscode.NotebookCellOutput(items, metadata);
  }
  return null;
}

function activate(context) {
  channel = vscode.window.createOutputChannel("TrackIT Test Kernel");
  context.subscriptions.push(channel);
  const sessions = new Map(); // notebook uri -> KernelSession

  const controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, "jupyter-notebook", "TrackIT Test Kernel");
  controller.supportedLanguages = ["python"];
  controller.supportsExecutionOrder = true;
  controller.description = "real ipykernel (e2e tests)";
  context.subscriptions.push(controller);

  const sessionFor = (notebook) => {
    const key = notebook.uri.toString();
    let session = sessions.get(key);
    if (!session || session.dead) {
      session = new KernelSession(notebook);
      sessions.set(key, session);
    }
    return session;
  };

  async function runCell(execution, session) {
    const cell = execution.cell;
    execution.start(Date.now());
    await execution.clearOutput();
    let executionCount;
    let lastStream = null; // consecutive prints merge into one output, as in Jupyter
    const appended = [];
    const result = await session.execute(
      cell.document.getText(),
      (count) => {
        executionCount = count;
        execution.executionOrder = count;
      },
      (output) => {
        if (output.kind === "stream" && lastStream && lastStream.name === output.name) {
          lastStream.text += output.text;
          const item = output.name === "stderr"
            ? vscode.NotebookCellOutputItem.stderr(lastStream.text)
            : vscode.NotebookCellOutputItem.stdout(lastStream.text);
          appended.push(execution.replaceOutputItems(item, lastStream.output));
          return;
        }
        const cellOutput = toCellOutput(output, executionCount);
        if (!cellOutput) return;
        lastStream = output.kind === "stream" ? { name: output.name, text: output.text, output: cellOutput } : null;
        appended.push(execution.appendOutput(cellOutput));
      },
    );
    await Promise.all(appended);
    const success = result.status === "ok";
    const endTime = Date.now();
    execution.end(success, endTime);
    record({
      event: "done",
      notebook: cell.notebook.uri.toString(),
      cell_index: cell.index,
      execution_order: result.execution_count ?? executionCount ?? null,
      status: result.status,
      end: endTime,
    });
    return success;
  }

  controller.executeHandler = async (cells, notebook) => {
    // Like the Jupyter extension: the whole batch is pending at once, it runs in order, and the first failing
    // cell stops the rest (they end without a result).
    const executions = cells.map((cell) => controller.createNotebookCellExecution(cell));
    let session;
    try {
      session = sessionFor(notebook);
    } catch (err) {
      for (const execution of executions) {
        execution.start(Date.now());
        execution.replaceOutput(toCellOutput({ kind: "error", ename: "TestKernelError", evalue: String(err.message || err) }));
        execution.end(false, Date.now());
      }
      return;
    }
    let stop = false;
    for (const execution of executions) {
      if (stop || execution.token.isCancellationRequested) {
        execution.end(undefined);
        continue;
      }
      const cancel = execution.token.onCancellationRequested(() => session.interrupt());
      try {
        stop = !(await runCell(execution, session));
      } catch (err) {
        log(`execution failed: ${err.stack || err}`);
        await execution.appendOutput(toCellOutput({ kind: "error", ename: "TestKernelError", evalue: String(err.message || err) }));
        execution.end(false, Date.now());
        stop = true;
      } finally {
        cancel.dispose();
      }
    }
  };
  controller.interruptHandler = (notebook) => sessions.get(notebook.uri.toString())?.interrupt();

  // Preferred for every notebook, so "Run All" uses this kernel without asking when it is the only one.
  const prefer = (notebook) => {
    if (notebook.notebookType === "jupyter-notebook") {
      controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    }
  };
  vscode.workspace.notebookDocuments.forEach(prefer);
  context.subscriptions.push(vscode.workspace.onDidOpenNotebookDocument(prefer));
  context.subscriptions.push(
    vscode.workspace.onDidCloseNotebookDocument((notebook) => {
      const key = notebook.uri.toString();
      sessions.get(key)?.dispose();
      sessions.delete(key);
    }),
  );
  context.subscriptions.push({ dispose: () => sessions.forEach((s) => s.dispose()) });
  log("TrackIT Test Kernel controller registered");
}

function deactivate() {}

module.exports = { activate, deactivate, toCellOutput };
