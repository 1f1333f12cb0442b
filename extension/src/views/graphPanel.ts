// The "TrackIT: Data lineage" webview panel's host side: asks the sidecar how a value was made
// (trackit/provenance), hands the answer and the run/experiment picker to the page (webview/graph.ts), and acts
// on what the page says (reveal a cell, another run, another variable). One panel, reused.
import * as path from "node:path";
import type * as vscode from "vscode";
import { GATHER_CODE_COMMAND } from "../commands/gatherCode";
import { VERIFY_COMMAND } from "../commands/verifyReproducibility";
import type { ExecutionRecord, ExperimentList, LineageDocument, LineageParams, ProvenanceGraph, ProvenanceParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import type { FromGraphView, ToGraphView } from "../webviews/graph/messages";
import { parseScope, Scope, scopeOptions, scopeValue } from "../webviews/graph/scope";
import { SHOW_DATA_LINEAGE_COMMAND } from "./cellAnnotations";
import { normalizeLineage } from "./lineageWire";
import { executionLabel, sessionLabel } from "./lineageWords";
import type { LineageSource } from "./lineageTree";
import { openShellPanel } from "./shellPanel";

export { SHOW_DATA_LINEAGE_COMMAND };
const VIEW_TYPE = "trackit.dataLineage";

export interface GraphQuestion {
  notebookUri: string;
  variable?: string;
  session?: number;
  experimentId?: string;
  seq?: number;
}

export interface GraphPanelDeps {
  source: LineageSource;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  reveal: (notebookUri: string, cellId: string, cellIndex: number) => Promise<unknown>;
  /** Reproduce's commands, run on the selected value: (command id, notebook URI, variable, seq). */
  runCommand: (command: string, ...args: unknown[]) => Thenable<unknown>;
}


/** Pure: the request for a question. */
export function provenanceParams(q: GraphQuestion): ProvenanceParams {
  return {
    notebook_uri: q.notebookUri,
    variable: q.variable ?? null,
    session: q.session ?? null,
    experiment_id: q.experimentId ?? null,
    seq: q.seq ?? null,
  };
}

/** Pure: the panel's title, "Lineage of `df` · titanic.ipynb". */
export function graphTitle(notebookUri: string, variable: string | null | undefined): string {
  const name = decodeURIComponent(notebookUri.split(/[?#]/)[0].split("/").pop() ?? "") || notebookUri;
  return variable ? `Lineage of ${variable} \u00b7 ${name}` : `Data lineage \u00b7 ${name}`;
}

export class GraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queued: ToGraphView | undefined;
  private question: GraphQuestion | undefined;
  private generation = 0;

  constructor(private readonly deps: GraphPanelDeps) {}

  /** Open (or reuse) the panel on this question. */
  async show(question: GraphQuestion): Promise<void> {
    this.question = question;
    const panel = this.ensurePanel();
    panel.reveal(undefined, false);
    await this.load();
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const panel = openShellPanel(this.deps.extensionUri, {
      viewType: VIEW_TYPE, tabTitle: "Data lineage", pageTitle: "Data lineage", page: "graph",
    });
    this.ready = false;
    panel.webview.onDidReceiveMessage((message: FromGraphView) => this.onMessage(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
    this.panel = panel;
    return panel;
  }

  private post(message: ToGraphView): void {
    if (!this.panel) return;
    if (!this.ready) {
      this.queued = message; // only the latest state matters
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: FromGraphView): Promise<void> {
    const q = this.question;
    switch (message.type) {
      case "ready":
        this.ready = true;
        if (this.queued) this.post(this.queued);
        this.queued = undefined;
        return;
      case "reveal":
        if (q) await this.deps.reveal(q.notebookUri, message.cellId, message.cellIndex);
        return;
      case "scope":
        if (!q) return;
        this.question = { notebookUri: q.notebookUri, variable: q.variable, ...toQuestionScope(parseScope(message.value)) };
        await this.load();
        return;
      case "variable":
        if (!q) return;
        this.question = { ...q, variable: message.name, seq: undefined };
        await this.load();
        return;
      case "gather":
      case "verify":
        if (q) await this.deps.runCommand(message.type === "gather" ? GATHER_CODE_COMMAND : VERIFY_COMMAND, q.notebookUri, message.variable, message.seq);
        return;
      case "painted":
        this.deps.log.info(`lineage graph: ${message.nodes} nodes, layout ${Math.round(message.layoutMs)} ms, first paint ${Math.round(message.paintMs)} ms`);
        return;
    }
  }

  private async load(): Promise<void> {
    const q = this.question;
    if (!q) return;
    const generation = ++this.generation;
    const title = graphTitle(q.notebookUri, q.variable);
    if (this.panel) this.panel.title = title;
    this.post({ type: "loading", title });
    try {
      const [graph, doc, experiments] = await Promise.all([
        this.deps.source.request<ProvenanceGraph>(Methods.PROVENANCE, provenanceParams(q)),
        // for the Run picker: every session described, the runs of the latest one only (not the whole notebook)
        this.deps.source.request<LineageDocument>(Methods.LINEAGE, lineagePickerParams(q.notebookUri)),
        this.deps.source
          .request<ExperimentList>(Methods.EXPERIMENTS, { notebook_uri: q.notebookUri })
          .catch((error: unknown) => {
            this.deps.log.warn(`experiments for the lineage graph picker: ${String(error)}`);
            return { notebook_uri: q.notebookUri, experiments: [] } as ExperimentList;
          }),
      ]);
      if (generation !== this.generation) return; // a newer question is on its way
      const lineage = normalizeLineage(doc);
      const asOf = q.seq !== undefined && !q.experimentId ? { seq: q.seq, label: runLabel(graph, lineage.executions, q.seq) } : undefined;
      const scopes = scopeOptions(lineage.sessions, experiments.experiments, (s, ordinal) => sessionLabel(s, ordinal, s.executions), asOf);
      const resolvedTitle = graphTitle(q.notebookUri, graph.variable);
      if (this.panel) this.panel.title = resolvedTitle;
      const scope = scopeValue({ session: q.session, experiment_id: q.experimentId, seq: asOf?.seq });
      this.post({ type: "graph", title: resolvedTitle, graph, scopes, scope });
      this.deps.log.info(`lineage graph of ${graph.variable ?? `#${graph.seq}`} in ${path.posix.basename(q.notebookUri)}: ${graph.nodes.length} nodes`);
    } catch (error) {
      if (generation !== this.generation) return;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`lineage graph for ${q.notebookUri}: ${message}`);
      this.post({ type: "error", title, message: `TrackIT could not answer: ${message}` });
    }
  }
}

function toQuestionScope(scope: Scope): Pick<GraphQuestion, "session" | "experimentId" | "seq"> {
  return { session: scope.session, experimentId: scope.experiment_id, seq: scope.seq };
}

/** Pure: the lineage request behind the Run picker. */
export function lineagePickerParams(notebookUri: string): LineageParams {
  return { notebook_uri: notebookUri, include_source: false, latest_session: true };
}

/** Pure: "[5] Cell 10", the run a graph answers as of: its record when held (the latest session), else the cell of
 * the node asked about, else its number. */
export function runLabel(graph: Pick<ProvenanceGraph, "nodes" | "target">, executions: readonly ExecutionRecord[], seq: number): string {
  const run = executions.find((e) => e.seq === seq);
  if (run) return executionLabel(run);
  const target = graph.nodes.find((n) => n.id === graph.target);
  return target?.seq === seq && target.cell_index !== null && target.cell_index !== undefined ? `Cell ${target.cell_index + 1}` : `run #${seq}`;
}
