// Wiring only: builds the parts and connects events to them. Logic lives in the files it imports.
import { mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as vscode from "vscode";
import { REAL_TIMERS } from "./common/timers";
import * as api from "./common/vscodeapi";
import { needsRestart, readSettings, toSetConfigParams, TrackitSettings } from "./config";
import { historyDocumentText, showCellHistory } from "./commands/cellHistory";
import type { CommandContext } from "./commands/context";
import { GATHER_CODE_COMMAND, gatherCode } from "./commands/gatherCode";
import { nodeRun, offerRepair, repairDatabase, RepairDeps } from "./commands/repairDatabase";
import { targetNotebookUri } from "./commands/target";
import { showDataLineage } from "./commands/dataLineage";
import { MARK_EXPERIMENT_COMMAND, markExperiment, showExperiments } from "./commands/experiments";
import { REVEAL_CELL_COMMAND, revealCell } from "./commands/revealCell";
import { exportSummary, previewPrompt, regenerateSummary, summarizeNotebook } from "./commands/summarize";
import { setTrackingPaused } from "./commands/tracking";
import { VERIFY_COMMAND, verifyReproducibility } from "./commands/verifyReproducibility";
import { isExcluded } from "./notebook/exclude";
import { FocusedNotebook } from "./notebook/focusedNotebook";
import { KernelAnnouncer, NotebookKernelRegistry } from "./notebook/kernels";
import { DEFAULT_MAX_BINARY_BYTES } from "./notebook/outputs";
import { PauseState } from "./notebook/pauseState";
import { DEFAULT_SETTLE_MS, ExecutionReducer, NotebookLike } from "./notebook/reducer";
import { ResendBuffer } from "./notebook/resendBuffer";
import { SourcesReporter } from "./notebook/sources";
import { Tracker } from "./notebook/tracker";
import { SidecarClient, SidecarState } from "./sidecar/client";
import { problemFromNotification } from "./sidecar/databaseProblem";
import { NotificationRegistry } from "./sidecar/notifications";
import type { CellExecution, StatusResult } from "./sidecar/protocol";
import { Methods } from "./sidecar/protocol";
import { nodeResolveIo, Resolution, resolveSidecar } from "./sidecar/resolve";
import { TrackitStatusBar } from "./statusBar";
import { CellAnnotationProvider, SHOW_CELL_HISTORY_COMMAND, SHOW_DATA_LINEAGE_COMMAND } from "./views/cellAnnotations";
import { ExperimentsPanel, SHOW_EXPERIMENTS_COMMAND } from "./views/experimentsPanel";
import { ExperimentsTreeProvider } from "./views/experimentsTree";
import { GraphPanel } from "./views/graphPanel";
import { HISTORY_SCHEME, HistoryDocuments } from "./views/historyDocument";
import { withLinks } from "./views/hoverLinks";
import { LineageTreeProvider, treeNodeArgs } from "./views/lineageTree";
import { SummaryPanels } from "./views/summaryPanel";

const RESEND_BUFFER_CAPACITY = 10_000;
const NOTEBOOK_TYPES = ["jupyter-notebook", "interactive"];
/** Called by notebook controllers: "notebook N runs in kernel F" (see notebook/kernels.ts, README "Privacy"). */
export const NOTEBOOK_KERNEL_COMMAND = "trackit.notebookKernel";

let shutdown: (() => Promise<void>) | undefined;

export function databasePathFor(settings: TrackitSettings, storageDir: string, workspaceFolders: readonly string[]): string {
  let configured = settings.databasePath.trim();
  if (!configured) return path.join(storageDir, "trackit.duckdb");
  if (configured === "~" || configured.startsWith("~/")) configured = path.join(os.homedir(), configured.slice(1));
  if (!path.isAbsolute(configured) && workspaceFolders.length > 0) configured = path.join(workspaceFolders[0], configured);
  return path.resolve(configured);
}

function debounce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  run.cancel = () => timer && clearTimeout(timer);
  return run;
}

export function activate(context: vscode.ExtensionContext): void {
  const log = api.createLogOutputChannel("TrackIT");
  context.subscriptions.push(log);
  log.info(`TrackIT ${context.extension.packageJSON?.version ?? ""} activating`);

  let trusted = api.isTrusted();
  let settings = readSettings(api.getConfiguration("trackit"), trusted);
  const pause = new PauseState(context.workspaceState);
  const statusBar = new TrackitStatusBar();
  context.subscriptions.push(statusBar);
  const registry = new NotificationRegistry((method, error) => log.error(`handler for ${method} failed: ${String(error)}`));

  let sidecarState: SidecarState = "stopped";
  let sidecarDetail: string | undefined;
  let dbDetail: string | undefined;
  const updateStatus = () => {
    const active = api.activeNotebookEditor()?.notebook.uri.toString();
    if (sidecarState === "failed") statusBar.show("error", sidecarDetail);
    else if (!settings.enabled) statusBar.show("disabled");
    else if (active && pause.isPaused(active)) statusBar.show("paused");
    else if (sidecarState === "starting" || sidecarState === "stopped") statusBar.show("starting", sidecarDetail);
    else statusBar.show("on", dbDetail);
  };

  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const sendConfig = () => sidecar.notify(Methods.SET_CONFIG, toSetConfigParams(settings, trusted));

  const resolveCommand = async (): Promise<Resolution> => {
    const dbPath = databasePathFor(settings, storageDir, api.workspaceFolderPaths());
    try {
      mkdirSync(path.dirname(dbPath), { recursive: true, mode: 0o700 }); // the database is the user's alone
    } catch (error) {
      return { ok: false, message: `TrackIT: cannot create the database folder ${path.dirname(dbPath)}: ${String(error)}` };
    }
    return resolveSidecar(
      {
        platform: process.platform,
        extensionPath: context.extensionPath,
        dbPath,
        sidecarPath: settings.sidecarPath,
        pythonPath: settings.pythonPath,
      },
      nodeResolveIo,
    );
  };
  const sidecar: SidecarClient = new SidecarClient({
    log,
    registry,
    resolveCommand,
    onStateChange: (state, detail) => {
      sidecarState = state;
      sidecarDetail = detail;
      updateStatus();
    },
    onReady: (generation) => {
      sendConfig();
      announcer.resendAll();
      tracker.handleSidecarReady(generation);
      for (const nb of api.notebookDocuments()) if (isTracked(nb)) sources.report(nb);
      void tree.refresh();
      annotations.invalidate();
      sidecar
        .request<StatusResult>(Methods.STATUS, {})
        .then((s) => {
          dbDetail = `database: ${s.db_path} (${s.db_mode}${s.lock_holder ? `, held by ${s.lock_holder}` : ""})`;
          log.info(`sidecar ${s.version} ready, protocol ${s.protocol_version}, ${dbDetail}, ${s.executions_stored} executions stored`);
          updateStatus();
        })
        .catch((error: unknown) => log.warn(`trackit/status: ${String(error)}`));
    },
    showError: api.showErrorMessage,
    onErrorAction: (action) => {
      if (action === "Show logs") log.show();
      if (action === "Restart") void sidecar.restart();
    },
    onDatabaseProblem: (problem) => void offerRepair(problem, repair),
    middleware: {
      provideHover: async (document, position, token, next) => withLinks(document, position, await next(document, position, token), (uri, cellId) => annotations.annotation(uri, cellId)),
    },
  });
  const repair: RepairDeps = {
    sidecar,
    resolveCommand,
    run: nodeRun,
    log,
    showError: api.showErrorMessage,
    showInfo: api.showInformationMessage,
  };

  const isTrackedUri = (uri: string, fsPath: string | null): boolean =>
    settings.enabled && !pause.isPaused(uri) && !(fsPath !== null && isExcluded(fsPath, settings.exclude, api.workspaceFolderPaths()));
  const isTracked = (nb: NotebookLike): boolean => isTrackedUri(nb.uri.toString(), nb.uri.scheme === "file" ? nb.uri.fsPath : null);

  const kernels = new NotebookKernelRegistry();
  const announcer = new KernelAnnouncer({
    registry: kernels,
    send: (kernel) => sidecar.notify(Methods.NOTEBOOK_KERNEL, kernel),
    isTracked: isTrackedUri,
    log,
  });
  const reducer = new ExecutionReducer({
    settleMs: DEFAULT_SETTLE_MS,
    limits: { maxTextBytes: settings.maxTextOutputBytes, maxBinaryBytes: DEFAULT_MAX_BINARY_BYTES },
    kernelOf: (uri) => kernels.get(uri),
  });
  const tracker = new Tracker({
    reducer,
    buffer: new ResendBuffer<CellExecution>(RESEND_BUFFER_CAPACITY),
    send: (event) => sidecar.notify(Methods.CELL_EXECUTED, event),
    isTracked,
    log,
    timers: REAL_TIMERS,
  });

  const tree = new LineageTreeProvider(sidecar, log, (uri) => pause.isPaused(uri));
  const annotations = new CellAnnotationProvider(sidecar, log);
  // what the cells hold now goes to the sidecar, which marks stale runs; then the views ask again
  const sources = new SourcesReporter({
    send: (message) => sidecar.notify(Methods.NOTEBOOK_SOURCES, message),
    onSent: (uri) => {
      tree.ensureLoaded(uri); // staleness changes come back as a lineageChanged delta
      annotations.invalidate(uri);
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  });
  const treeView = api.createTreeView("trackit.lineage", tree);
  context.subscriptions.push(tree, annotations, sources, treeView, treeView.onDidCollapseElement((e) => tree.collapsed(e.element)));
  for (const type of NOTEBOOK_TYPES) context.subscriptions.push(api.registerNotebookCellStatusBarItemProvider(type, annotations));

  const invalidateAnnotations = new Map<string, () => void>();
  // experiments are derived from many runs: asked again once a burst of runs is over, not per run
  const refreshExperiments = debounce(() => {
    experimentsTree.refresh();
    const shown = experimentsPanel.shownNotebook;
    if (shown) void experimentsPanel.notebookChanged(shown);
  }, 1000);
  context.subscriptions.push(
    registry.on(Methods.DATABASE_ERROR, (params) => void offerRepair(problemFromNotification(params), repair)),
    registry.on(Methods.LINEAGE_CHANGED, (params) => {
      tracker.handleLineageChanged(params);
      tree.applyChange(params); // a delta: only the rows it touches are repainted
      let inv = invalidateAnnotations.get(params.notebook_uri);
      if (!inv) invalidateAnnotations.set(params.notebook_uri, (inv = debounce(() => annotations.invalidate(params.notebook_uri), 100)));
      inv();
      refreshExperiments();
    }),
  );

  context.subscriptions.push(
    api.onDidChangeNotebookDocument((e) => {
      tracker.handleChange(e);
      const edited = e.cellChanges.some((c) => c.document !== undefined) || e.contentChanges.length > 0;
      if (edited && isTracked(e.notebook)) sources.reportSoon(e.notebook);
    }),
    api.onDidOpenNotebookDocument((nb) => {
      if (!(isTracked(nb) && sources.report(nb))) void tree.refresh(nb.uri.toString());
    }),
    api.onDidCloseNotebookDocument((nb) => {
      tracker.handleClose(nb);
      sources.cancel(nb.uri.toString());
      tree.forget(nb.uri.toString());
      kernels.forget(nb.uri.toString());
    }),
    api.onDidChangeActiveNotebookEditor(() => {
      tree.repaint();
      updateStatus();
    }),
    pause.onDidChange(() => {
      tree.repaint(); // a paused notebook's row says so
      updateStatus();
      announcer.resendAll(); // a resumed notebook's kernel is the sidecar's to read again
    }),
    api.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration("trackit")) return;
      const before = settings;
      settings = readSettings(api.getConfiguration("trackit"), trusted);
      reducer.setLimits({ maxTextBytes: settings.maxTextOutputBytes, maxBinaryBytes: DEFAULT_MAX_BINARY_BYTES });
      if (needsRestart(before, settings)) void sidecar.restart();
      else sendConfig();
      updateStatus();
    }),
    api.onDidGrantWorkspaceTrust(() => {
      trusted = true;
      const before = settings;
      settings = readSettings(api.getConfiguration("trackit"), trusted);
      log.info("workspace trusted: workspace settings for the sidecar and summaries now apply");
      if (needsRestart(before, settings)) void sidecar.restart();
      else sendConfig();
    }),
  );

  // Panels and documents: built here, filled only when a command asks (nothing is drawn at activation).
  const summaries = new SummaryPanels(context.extensionUri, log);
  const graph = new GraphPanel({ source: sidecar, log, extensionUri: context.extensionUri, reveal: revealCell, runCommand: api.executeCommand });
  const focused = new FocusedNotebook(api.activeNotebookEditor, api.visibleNotebookEditors);
  const experimentsPanel = new ExperimentsPanel({ source: sidecar, log, extensionUri: context.extensionUri, reveal: revealCell, runCommand: api.executeCommand });
  const experimentsTree = new ExperimentsTreeProvider(sidecar, log);
  const commandContext: CommandContext = {
    sidecar,
    log,
    pause,
    summaries,
    settings: () => settings,
    trusted: () => trusted,
  };
  const histories = new HistoryDocuments((uri, cellId) => historyDocumentText(commandContext, uri, cellId));
  summaries.bind({
    regenerate: (uri) => regenerateSummary(commandContext, uri),
    export: (uri) => exportSummary(commandContext, uri),
    preview: (uri) => previewPrompt(commandContext, uri),
    reveal: revealCell,
  });
  context.subscriptions.push(
    summaries,
    graph,
    experimentsPanel,
    experimentsTree,
    api.createTreeView("trackit.experiments", experimentsTree),
    api.registerTextDocumentContentProvider(HISTORY_SCHEME, histories),
    api.onDidChangeActiveNotebookEditor((editor) => {
      focused.note(editor);
      experimentsTree.refresh();
    }),
    api.onDidChangeNotebookEditorSelection((e) => focused.note(e.notebookEditor)),
  );
  const register = (id: string, handler: (...args: any[]) => unknown) =>
    context.subscriptions.push(
      api.registerCommand(id, async (...args: unknown[]) => {
        try {
          await handler(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          log.error(`${id}: ${message}`);
          const choice = await api.showErrorMessage(`TrackIT: ${message}`, "Show logs");
          if (choice === "Show logs") log.show();
        }
      }),
    );
  register("trackit.summarizeNotebook", (arg) => summarizeNotebook(commandContext, arg));
  register("trackit.exportSummary", (arg) => exportSummary(commandContext, arg));
  register("trackit.previewPrompt", (arg) => previewPrompt(commandContext, arg));
  register(SHOW_CELL_HISTORY_COMMAND, (nb, cellId) => showCellHistory(commandContext, histories, focused.currentCell(), nb, cellId));
  register(SHOW_DATA_LINEAGE_COMMAND, (arg) => showDataLineage(arg, { annotationOf: (uri, cellId) => annotations.annotation(uri, cellId), show: (q) => graph.show(q) }));
  register(SHOW_EXPERIMENTS_COMMAND, (nb, id) => showExperiments((uri, focus) => experimentsPanel.show(uri, focus), focused.currentCell(), nb, id));
  register(MARK_EXPERIMENT_COMMAND, (cell) =>
    markExperiment(commandContext, focused.currentCell(), async (uri, id) => {
      experimentsTree.refresh();
      await experimentsPanel.show(uri, id);
    }, cell),
  );
  // from the palette while a panel has focus: the notebook the user was in (as cell history does)
  register("trackit.pauseTracking", (arg) => setTrackingPaused(commandContext, true, arg ?? focused.current()?.notebook.uri));
  register("trackit.resumeTracking", (arg) => setTrackingPaused(commandContext, false, arg ?? focused.current()?.notebook.uri));
  register(GATHER_CODE_COMMAND, (...args) => gatherCode(commandContext, ...treeNodeArgs(args)));
  register(VERIFY_COMMAND, (...args) => verifyReproducibility(commandContext, ...treeNodeArgs(args)));
  register("trackit.showLogs", () => log.show());
  register("trackit.restartSidecar", async () => {
    log.info("restart requested");
    await sidecar.restart();
  });
  register("trackit.refreshLineage", () => tree.refresh());
  register("trackit.repairDatabase", () => repairDatabase(repair));
  const treeViewState = async () => {
    treeView.description = tree.viewDescription();
    await api.executeCommand("setContext", "trackit.lineageFiltered", tree.filterText.length > 0);
  };
  register("trackit.filterLineage", async () => {
    const text = await api.showInputBox({
      title: "Filter TrackIT Lineage",
      value: tree.filterText,
      prompt: "Runs that read or write a variable, run an op, or are a cell: df, var:df, op:dropna, cell:5 (all words must match)",
      placeHolder: "var:df op:dropna cell:5",
    });
    if (text === undefined) return;
    tree.setFilter(text);
    await treeViewState();
  });
  register("trackit.clearLineageFilter", async () => {
    tree.setFilter("");
    await treeViewState();
  });
  for (const [id, on] of [["trackit.showLatestRunOnly", true], ["trackit.showAllRuns", false]] as const) {
    register(id, async () => {
      tree.setLatestRunOnly(on);
      await api.executeCommand("setContext", "trackit.latestRunOnly", on);
      await treeViewState();
    });
  }
  // Not through `register`: its callers are other extensions, so a bad call is logged, not shown to the user.
  context.subscriptions.push(api.registerCommand(NOTEBOOK_KERNEL_COMMAND, (arg: unknown) => announcer.announce(arg, api.uriParse)));
  register(REVEAL_CELL_COMMAND, (notebookUri: string, cellId: string, cellIndex: number) => revealCell(notebookUri, cellId, cellIndex));

  updateStatus();
  void sidecar.restart();

  shutdown = async () => {
    tracker.dispose();
    await sidecar.dispose();
  };
}

export async function deactivate(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  if (stop) await stop();
}
