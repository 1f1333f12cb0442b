// The Experiments panel's host side: one panel, on one notebook at a time. It asks the sidecar for the
// notebook's experiments (trackit/experiments, then trackit/experiment for each one's metrics), hypotheses and
// diffs (trackit/hypotheses, trackit/diff), and runs the user's actions: name and notes, re-parent, link to a
// hypothesis (a new one or an existing one), export, reveal the cell, the data lineage of what it evaluated.
// The page is webview/experiments.ts.
import type * as vscode from "vscode";
import { showInformationMessage, showInputBox, showOpenDialog, showQuickPick } from "../common/vscodeapi";
import type {
  AddHypothesisParams, DiffParams, Experiment, ExperimentDiff, ExperimentList, ExperimentSummary, ExportExperimentParams,
  ExportResult, Hypothesis, HypothesisList, LinkHypothesisParams, NameExperimentParams, ReparentExperimentParams,
} from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { compareView, dagOrder, hypothesisViews } from "../webviews/experiments/compareModel";
import type { FromExperimentsView, ToExperimentsView } from "../webviews/experiments/model";
import { experimentTitle, metricText } from "../webviews/experiments/model";
import type { LineageSource } from "./lineageTree";
import { openShellPanel } from "./shellPanel";

export const SHOW_EXPERIMENTS_COMMAND = "trackit.showExperiments";
const VIEW_TYPE = "trackit.experiments";
const MAX_DETAILS = 200; // the table's metrics need each experiment's record: the latest this many
// Every prompt the page opens stays open when focus moves away. A prompt that closes hands focus back to the webview
// a moment later, and the next prompt of the same action (a hypothesis's statement after the pick, its metric, a name's
// notes) would lose it and close on its own (microsoft/vscode#93950; seen on a loaded machine as a statement box that
// never appeared). Escape still cancels.
const PROMPT = { ignoreFocusOut: true } as const;

export interface ExperimentsPanelDeps {
  source: LineageSource;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  reveal: (notebookUri: string, cellId: string, cellIndex: number) => Promise<unknown>;
  runCommand: (command: string, ...args: unknown[]) => Thenable<unknown>;
}

export class ExperimentsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private latest: ToExperimentsView | undefined;
  private notebookUri: string | undefined;
  private focus: string | undefined;
  private summaries: ExperimentSummary[] = [];
  private details: Experiment[] = [];
  private hypotheses: Hypothesis[] = [];
  private generation = 0;

  constructor(private readonly deps: ExperimentsPanelDeps) {}

  get shownNotebook(): string | undefined {
    return this.panel ? this.notebookUri : undefined;
  }

  async show(notebookUri: string, focus?: string): Promise<void> {
    this.notebookUri = notebookUri;
    this.focus = focus;
    this.ensurePanel().reveal(undefined, false);
    await this.load();
  }

  /** New runs in the shown notebook (trackit/lineageChanged, debounced by the caller). */
  async notebookChanged(notebookUri: string): Promise<void> {
    if (this.panel && notebookUri === this.notebookUri) await this.load();
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const panel = openShellPanel(this.deps.extensionUri, {
      viewType: VIEW_TYPE, tabTitle: "Experiments", pageTitle: "Experiments", page: "experiments",
    });
    this.ready = false;
    panel.webview.onDidReceiveMessage((message: FromExperimentsView) => this.onMessage(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.latest = undefined;
    });
    this.panel = panel;
    return panel;
  }

  private post(message: ToExperimentsView): void {
    if (message.type === "experiments" || !this.latest) this.latest = message;
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private async load(): Promise<void> {
    const uri = this.notebookUri;
    if (!uri) return;
    const generation = ++this.generation;
    const name = decodeURIComponent(uri.split(/[?#]/)[0].split("/").pop() ?? "") || uri;
    if (this.panel) this.panel.title = `Experiments \u00b7 ${name}`;
    this.post({ type: "busy", what: "Loading experiments\u2026" });
    try {
      const list = await this.deps.source.request<ExperimentList>(Methods.EXPERIMENTS, { notebook_uri: uri });
      const recent = [...list.experiments].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, MAX_DETAILS);
      const [details, hypotheses] = await Promise.all([
        Promise.all(recent.map((e) => this.deps.source.request<Experiment>(Methods.EXPERIMENT, { experiment_id: e.id }).catch(() => undefined))),
        this.deps.source
          .request<HypothesisList>(Methods.HYPOTHESES, { notebook_uri: uri })
          .then((answer) => ({ hypotheses: answer.hypotheses, error: undefined as string | undefined }))
          .catch((error: unknown) => {
            const text = error instanceof Error ? error.message : String(error);
            this.deps.log.warn(`hypotheses of ${name}: ${text}`);
            return { hypotheses: [] as Hypothesis[], error: `TrackIT could not list the hypotheses: ${text}` };
          }),
      ]);
      if (generation !== this.generation) return;
      this.summaries = list.experiments;
      this.details = details.filter((d): d is Experiment => d !== undefined);
      this.hypotheses = hypotheses.hypotheses;
      const order = dagOrder(list.experiments);
      this.post({
        type: "experiments",
        data: {
          title: `Experiments of ${name}`,
          notebookUri: uri,
          experiments: list.experiments,
          details: this.details,
          focus: this.focus,
          message: list.experiments.length > MAX_DETAILS ? `Metrics of the latest ${MAX_DETAILS} experiments; the others show their primary metric.` : undefined,
          hypotheses: hypothesisViews(hypotheses.hypotheses, order),
          hypothesesError: hypotheses.error,
        },
      });
      this.deps.log.info(`experiments of ${name}: ${list.experiments.length}`);
    } catch (error) {
      if (generation !== this.generation) return;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`experiments of ${name}: ${message}`);
      this.post({ type: "error", message: `TrackIT could not list the experiments: ${message}` });
    }
  }

  private async onMessage(message: FromExperimentsView): Promise<void> {
    const uri = this.notebookUri;
    try {
      switch (message.type) {
        case "ready":
          this.ready = true;
          if (this.latest && this.panel) void this.panel.webview.postMessage(this.latest);
          return;
        case "refresh":
          await this.load();
          return;
        case "compare":
          await this.compare(message.a, message.b);
          return;
        case "reveal": {
          const e = this.summaries.find((s) => s.id === message.id);
          if (e) await this.deps.reveal(e.notebook_uri, e.cell_id, e.cell_index);
          return;
        }
        case "lineage":
          if (uri) await this.deps.runCommand("trackit.showDataLineage", { notebookUri: uri, experimentId: message.id });
          return;
        case "name":
          await this.name(message.id);
          return;
        case "link":
          await this.link(message.id);
          return;
        case "reparent":
          await this.reparent(message.id);
          return;
        case "export":
          await this.export(message.id);
          return;
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.log.error(`experiments ${message.type}: ${text}`);
      this.post({ type: "error", message: `${message.type} failed: ${text}` });
    }
  }

  private async compare(a: string, b: string): Promise<void> {
    this.post({ type: "busy", what: `Comparing ${a} and ${b}\u2026` });
    const params: DiffParams = { a, b, notebook_uri: this.notebookUri ?? null };
    const diff = await this.deps.source.request<ExperimentDiff>(Methods.DIFF, params);
    this.post({ type: "compare", a, b, view: compareView(diff) });
    this.deps.log.info(`compared ${a} and ${b}`);
  }

  /** Link an experiment to a hypothesis: one of the notebook's, or a new one stated here. */
  private async link(id: string): Promise<void> {
    const items = [
      { label: "$(add) New hypothesis\u2026", description: "state it, pick its metric", hypothesis: undefined as Hypothesis | undefined },
      ...this.hypotheses.map((h) => ({
        label: `${h.id}: ${h.statement}`,
        description: `${h.metric} \u00b7 ${h.status}${h.experiments.includes(id) ? ` \u00b7 ${id} linked (pick to unlink)` : ""}`,
        hypothesis: h as Hypothesis | undefined,
      })),
    ];
    const pick = await showQuickPick(items, { ...PROMPT, title: `Link ${id} to a hypothesis` });
    if (!pick) return;
    let hypothesisId = pick.hypothesis?.id;
    const unlink = !!pick.hypothesis?.experiments.includes(id);
    if (!hypothesisId) {
      const statement = await showInputBox({ ...PROMPT, title: "New hypothesis", prompt: "What you expect, in a sentence (e.g. median imputation beats dropping rows)" });
      if (!statement) return;
      const metrics = [...new Set(this.details.filter((d) => d.id === id).flatMap((d) => d.metrics.map((m) => m.name)))];
      const primary = this.summaries.find((s) => s.id === id)?.primary_metric?.name;
      const names = metrics.length > 0 ? metrics : primary ? [primary] : [];
      const metric = names.length === 1 ? names[0] : (await showQuickPick(names.map((n) => ({ label: n })), { ...PROMPT, title: "The metric it is judged by" }))?.label;
      if (!metric) return;
      const params: AddHypothesisParams = { statement, metric, baseline: "parent" };
      hypothesisId = (await this.deps.source.request<Hypothesis>(Methods.ADD_HYPOTHESIS, params)).id;
    }
    const params: LinkHypothesisParams = { hypothesis_id: hypothesisId, experiment_ids: [id], unlink };
    await this.deps.source.request<Hypothesis>(Methods.LINK_HYPOTHESIS, params);
    this.deps.log.info(`${unlink ? "unlinked" : "linked"} ${id} ${unlink ? "from" : "to"} ${hypothesisId}`);
    await this.load();
  }

  private async name(id: string): Promise<void> {
    const current = this.summaries.find((s) => s.id === id);
    const name = await showInputBox({ ...PROMPT, title: `Name ${id}`, value: current?.name ?? "", prompt: "A short name (empty: none)" });
    if (name === undefined) return;
    const notes = await showInputBox({ ...PROMPT, title: `Notes for ${id}`, prompt: "What you tried and why (optional; Escape keeps the notes as they are)" });
    const params: NameExperimentParams = { experiment_id: id, name: name || null, ...(notes !== undefined ? { notes: notes || null } : {}) };
    await this.deps.source.request(Methods.NAME_EXPERIMENT, params);
    await this.load();
  }

  private async reparent(id: string): Promise<void> {
    const others = this.summaries.filter((s) => s.id !== id);
    const items = [
      { label: "$(circle-slash) No parent", description: "make it a root", parent: null as string | null },
      ...others.map((s) => ({ label: experimentTitle(s), description: metricText(s.primary_metric), parent: s.id as string | null })),
    ];
    const pick = await showQuickPick(items, { ...PROMPT, title: `Which experiment does ${id} build on?` });
    if (!pick) return;
    const params: ReparentExperimentParams = { experiment_id: id, parent_id: pick.parent };
    await this.deps.source.request(Methods.REPARENT_EXPERIMENT, params);
    await this.load();
  }

  private async export(id: string): Promise<void> {
    const format = await showQuickPick(
      [
        { label: "mtrack run folder", description: "manifest, metrics, config, notes, dataset pointers", value: "mtrack" as const },
        { label: "JSON", description: "trackit.experiment/1", value: "json" as const },
      ],
      { ...PROMPT, title: `Export ${id}` },
    );
    if (!format) return;
    const folder = await showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: "Export here" });
    if (!folder?.[0]) return;
    const params: ExportExperimentParams = { experiment_id: id, format: format.value, out_dir: folder[0].fsPath, all: false };
    const result = await this.deps.source.request<ExportResult>(Methods.EXPORT_EXPERIMENT, params);
    const kept = result.kept.length ? `; ${result.kept.length} already there with other content, kept` : "";
    void showInformationMessage(`TrackIT: exported ${id}: ${result.written.length} written, ${result.unchanged.length} unchanged${kept}.`);
  }
}
