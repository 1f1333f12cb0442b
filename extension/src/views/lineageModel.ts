// Pure: a LineageDocument -> the nodes of the "TrackIT Lineage" tree.
//   notebook "analysis.ipynb"                       description "3 sessions · 12 runs"
//     "Session 2 · 14:03 · 12 runs"                description "Python 3 (ipykernel) [python3]" (latest session expanded)
//       "runtime facts unavailable (…)"            when that holds for every run of the session: said once, first
//       "[3] Cell 5"                               description "ok · 12 ms" | "error: KeyError" | "cancelled · 3 ms", + " (edited since)"
//         "runtime facts unavailable (…)"          when it holds for this run but not for its whole session
//         "reads: df"                              description "← [2] Cell 3" (the execution whose value it read)
//         "writes: df_clean"                       expands to what it was derived from:
//           "from: df"                             description "← [2] Cell 3", expands recursively (lazily)
//         "defines: pd, np"                        description "module": imports, functions and classes are
//                                                  code, never data reads, writes or sources
// Execution labels, descriptions, step lines, outcomes, kernel labels and runtime notes are the sidecar's words
// (render/, sent in the lineage document; put together in lineageWords.ts), and so is staleness
// (lineage/staleness.py, from the cells' current text the editor sends); this file only arranges them. The filter
// box's terms are lineageFilter.ts's, the document as sent is read by lineageWire.ts. The tree provider
// (lineageTree.ts) only maps these nodes to TreeItems.
import type { ExecutionRecord, LineageDocument, LineageDocumentOnTheWire, SessionInfo } from "../sidecar/protocol";
import { matchesFilter, parseFilter } from "./lineageFilter";
import { normalizeLineage } from "./lineageWire";
import {
  executionDescription, executionIcon, executionLabel, executionTooltip, isStale, localHourMinute, plural, sessionLabel, sessionTooltip, staleLine,
} from "./lineageWords";

export type NodeKind = "notebook" | "session" | "execution" | "note" | "read" | "write" | "source" | "code";
export type Collapsible = "none" | "collapsed" | "expanded";

export interface RevealTarget {
  notebookUri: string;
  cellId: string;
  cellIndex: number;
}

export interface LineageNode {
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string; // Markdown
  icon: string; // codicon id
  iconColor?: string; // theme color id
  collapsible: Collapsible;
  reveal?: RevealTarget;
  /** What "Show data lineage" on this row asks about (the tree's context menu). */
  lineage?: { notebookUri: string; variable?: string; seq?: number };
  contextValue: string;
  /** A session whose runs are not held yet: the provider reads them when it is expanded. */
  loadSession?: { notebookUri: string; session: number };
  children(): LineageNode[];
}

export interface ModelOptions {
  /** ISO timestamp -> "14:03" (injected so tests do not depend on the machine's time zone). */
  formatTime?: (iso: string) => string;
  /** Tracking is paused for this notebook: its row says so. */
  paused?: boolean;
  /** The filter box's text (see `matchesFilter`); empty: every run. */
  filter?: string;
  /** Only the notebook's latest session (its latest run of the notebook). */
  latestRunOnly?: boolean;
  /** The sessions whose runs the document holds (lineageDelta.ts); the others are counted from their
   * SessionInfo and read when expanded. Default: every session is held. */
  loadedSessions?: ReadonlySet<number>;
}

/** The execution whose value of `name` `e` read, as the sidecar linked it (a failed run that did not
 * change `name` is not its producer). */
export function producerOf(doc: LineageDocument, e: ExecutionRecord, name: string): ExecutionRecord | undefined {
  const seq = e.read_from[name];
  return seq === undefined ? undefined : doc.executions.find((other) => other.seq === seq);
}

/** `names` without the execution's code names (imports, functions, classes). */
export function dataNames(e: Pick<ExecutionRecord, "code_names">, names: readonly string[]): string[] {
  return names.filter((name) => e.code_names[name] === undefined);
}

export function buildNotebookNode(rawDoc: LineageDocumentOnTheWire, displayName: string, options: ModelOptions = {}): LineageNode {
  const doc = normalizeLineage(rawDoc);
  const formatTime = options.formatTime ?? localHourMinute;
  const uri = doc.notebook_uri;
  const sessions = [...doc.sessions].sort((a, b) => a.started_at.localeCompare(b.started_at) || a.id - b.id);
  const executionsBySession = new Map<number, ExecutionRecord[]>();
  for (const e of [...doc.executions].sort((a, b) => a.seq - b.seq)) {
    let list = executionsBySession.get(e.session);
    if (!list) executionsBySession.set(e.session, (list = []));
    list.push(e);
  }
  // Sessions referenced by executions but missing from `sessions` still get a node.
  for (const id of executionsBySession.keys()) {
    if (!sessions.some((s) => s.id === id)) {
      sessions.push({ id, started_at: executionsBySession.get(id)![0].started_at, executions: 0 });
    }
  }
  const held = (id: number) => options.loadedSessions === undefined || options.loadedSessions.has(id);
  const runCount = (s: SessionInfo) => (held(s.id) ? executionsBySession.get(s.id)?.length ?? 0 : s.executions);
  const total = sessions.reduce((n, s) => n + runCount(s), 0);
  const terms = parseFilter(options.filter);
  const narrowed = terms.length > 0 || options.latestRunOnly === true;
  const latestSession = sessions[sessions.length - 1]?.id;
  const outsideLatest = (s: SessionInfo) => options.latestRunOnly === true && s.id !== latestSession;
  const shown = (s: SessionInfo): ExecutionRecord[] =>
    outsideLatest(s) ? [] : (executionsBySession.get(s.id) ?? []).filter((e) => matchesFilter(e, terms));
  // A session whose runs are not read yet cannot be filtered: it stays listed, and is filtered once read.
  const shownSessions = sessions
    .map((s, i) => ({ s, ordinal: i + 1, runs: shown(s) }))
    .filter((x) => !narrowed || x.runs.length > 0 || (!held(x.s.id) && !outsideLatest(x.s)));
  const matching = shownSessions.reduce((n, x) => n + x.runs.length, 0);

  const sessionNotes = new Map(doc.sessions.map((s) => [s.id, s.runtime_note]));

  const noteNode = (parentId: string, text: string): LineageNode => ({
    id: `${parentId}/note`,
    kind: "note",
    label: text,
    icon: "info",
    collapsible: "none",
    contextValue: "trackit.note",
    children: () => [],
  });

  const executionNode = (e: ExecutionRecord): LineageNode => {
    const stale = isStale(e);
    const { icon, color } = executionIcon(e);
    const id = `${uri}#e${e.seq}`;
    // The sidecar sends a run's own note only when its session does not already say it for all of its runs.
    const note = e.runtime_note;
    // imports, functions and classes are code, not data: no read/write nodes of their own
    const reads = dataNames(e, e.reads);
    const writes = dataNames(e, e.writes);
    const code = e.writes.filter((name) => e.code_names[name] !== undefined && e.read_from[name] === undefined);
    return {
      id,
      kind: "execution",
      label: executionLabel(e),
      description: executionDescription(e),
      tooltip: executionTooltip(e, staleLine(e, doc), formatTime, sessionNotes.get(e.session)),
      icon,
      iconColor: color,
      collapsible: reads.length + writes.length + code.length > 0 || note ? "collapsed" : "none",
      reveal: { notebookUri: uri, cellId: e.cell_id, cellIndex: e.cell_index },
      lineage: { notebookUri: uri, seq: e.seq, variable: writes[writes.length - 1] },
      contextValue: stale ? "trackit.execution.stale" : "trackit.execution",
      children: () => [
        ...(note ? [noteNode(id, note)] : []),
        ...reads.map((name) => readNode(id, e, name)),
        ...writes.map((name) => writeNode(id, e, name)),
        ...(code.length > 0 ? [codeNode(id, e, code)] : []),
      ],
    };
  };

  const producerDescription = (p: ExecutionRecord | undefined): string =>
    p ? `\u2190 ${executionLabel(p)}` : "not produced in this session";

  const readNode = (parentId: string, e: ExecutionRecord, name: string): LineageNode => {
    const producer = producerOf(doc, e, name);
    return {
      id: `${parentId}/r:${name}`,
      kind: "read",
      label: `reads: ${name}`,
      description: producerDescription(producer),
      icon: "arrow-right",
      collapsible: "none",
      reveal: producer ? { notebookUri: uri, cellId: producer.cell_id, cellIndex: producer.cell_index } : undefined,
      lineage: producer ? { notebookUri: uri, variable: name, seq: producer.seq } : undefined,
      contextValue: producer ? "trackit.variable" : "trackit.variable.external",
      children: () => [],
    };
  };

  const derivedFrom = (e: ExecutionRecord, name: string): string[] => dataNames(e, e.derivations[name] ?? []);

  const sourcesOf = (parentId: string, e: ExecutionRecord, name: string): LineageNode[] =>
    derivedFrom(e, name).map((src) => sourceNode(parentId, e, src));

  const codeNode = (parentId: string, e: ExecutionRecord, names: string[]): LineageNode => ({
    id: `${parentId}/code`,
    kind: "code",
    label: `defines: ${names.join(", ")}`,
    description: [...new Set(names.map((name) => e.code_names[name]))].join(", "),
    icon: "symbol-namespace",
    collapsible: "none",
    contextValue: "trackit.code",
    children: () => [],
  });

  const writeNode = (parentId: string, e: ExecutionRecord, name: string): LineageNode => {
    const id = `${parentId}/w:${name}`;
    const from = derivedFrom(e, name);
    return {
      id,
      kind: "write",
      label: `writes: ${name}`,
      description: from.length > 0 ? `from ${from.join(", ")}` : undefined,
      icon: "symbol-variable",
      collapsible: from.length > 0 ? "collapsed" : "none",
      lineage: { notebookUri: uri, variable: name, seq: e.seq },
      contextValue: "trackit.variable",
      children: () => sourcesOf(id, e, name),
    };
  };

  const sourceNode = (parentId: string, e: ExecutionRecord, src: string): LineageNode => {
    const producer = producerOf(doc, e, src);
    const id = `${parentId}/from:${src}`;
    const upstream = producer ? derivedFrom(producer, src) : [];
    return {
      id,
      kind: "source",
      label: `from: ${src}`,
      description: producerDescription(producer),
      icon: "arrow-left",
      collapsible: upstream.length > 0 ? "collapsed" : "none",
      reveal: producer ? { notebookUri: uri, cellId: producer.cell_id, cellIndex: producer.cell_index } : undefined,
      lineage: producer ? { notebookUri: uri, variable: src, seq: producer.seq } : undefined,
      contextValue: producer ? "trackit.variable" : "trackit.variable.external",
      // Lazy and finite: each level moves to a strictly earlier execution.
      children: () => (producer ? sourcesOf(id, producer, src) : []),
    };
  };

  const sessionNode = (s: SessionInfo, ordinal: number, latest: boolean, runs: ExecutionRecord[]): LineageNode => {
    const count = runCount(s);
    return {
      id: `${uri}#s${s.id}`,
      kind: "session",
      label: sessionLabel(s, ordinal, count, formatTime),
      description: s.kernel_label ?? undefined,
      tooltip: sessionTooltip(s),
      icon: "history",
      collapsible: count === 0 ? "none" : latest ? "expanded" : "collapsed",
      contextValue: "trackit.session",
      loadSession: held(s.id) ? undefined : { notebookUri: uri, session: s.id },
      children: () => [...(s.runtime_note ? [noteNode(`${uri}#s${s.id}`, s.runtime_note)] : []), ...runs.map(executionNode)],
    };
  };

  const counts = total === 0
    ? "no runs recorded yet"
    : narrowed
      ? `${matching} of ${plural(total, "run")} shown`
      : `${plural(sessions.length, "session")} \u00b7 ${plural(total, "run")}`;
  return {
    id: uri,
    kind: "notebook",
    label: displayName,
    description: options.paused ? `tracking paused \u00b7 ${counts}` : counts,
    tooltip: options.paused ? `${doc.notebook}\n\n_Tracking is paused for this notebook: new runs are not recorded._` : doc.notebook,
    icon: options.paused ? "debug-pause" : "notebook",
    collapsible: total === 0 ? "none" : "expanded",
    contextValue: options.paused ? "trackit.notebook.paused" : "trackit.notebook",
    children: () =>
      shownSessions.map((x) => sessionNode(x.s, x.ordinal, (narrowed && held(x.s.id)) || x.s.id === latestSession, x.runs)),
  };
}
