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
// (render/, sent in the lineage document), and so is staleness (lineage/staleness.py, from the cells' current
// text the editor sends); this file only arranges them. The tree provider (lineageTree.ts) only maps these nodes to TreeItems.
import { RECORD_DEFAULTS, STEP_DEFAULTS } from "../sidecar/protocol";
import type { ExecutionRecord, ExecutionRecordOnTheWire, LineageDocument, LineageDocumentOnTheWire, SessionInfo } from "../sidecar/protocol";

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

/** The filter box's text as terms: "var:df", "op:dropna", "cell:5", or a plain word matched against all three. */
export interface FilterTerm {
  field: "var" | "op" | "cell" | "any";
  value: string;
}

export function parseFilter(text: string | undefined): FilterTerm[] {
  return (text ?? "")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((token): FilterTerm => {
      const m = /^(var|op|cell):(.*)$/i.exec(token);
      return m ? { field: m[1].toLowerCase() as FilterTerm["field"], value: m[2].toLowerCase() } : { field: "any", value: token.toLowerCase() };
    })
    .filter((t) => t.value.length > 0);
}

/** Pure: a run matches when every term does. var: a data variable it read or wrote (prefix); op: one of its
 * steps' op or method ("drop_missing", "dropna"); cell: its cell number ("5"), or its execution count ("[3]"). */
export function matchesFilter(e: ExecutionRecord, terms: readonly FilterTerm[]): boolean {
  const variables = [...e.reads, ...e.writes].filter((n) => e.code_names?.[n] === undefined).map((n) => n.toLowerCase());
  const ops = e.steps.flatMap((s) => [s.op, s.method ?? ""]).filter(Boolean).map((o) => o.toLowerCase());
  const cell = String(e.cell_index + 1);
  const label = executionLabel(e).toLowerCase();
  const test = {
    var: (v: string) => variables.some((n) => n.startsWith(v)),
    op: (v: string) => ops.some((o) => o.includes(v)),
    cell: (v: string) => v === cell || (v.startsWith("[") && label.startsWith(v)),
  };
  return terms.every((t) => (t.field === "any" ? test.var(t.value) || test.op(t.value) || test.cell(t.value) : test[t.field](t.value)));
}

export function localHourMinute(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "?";
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "Session 2 · 14:03 · 12 runs": sessions are numbered in start order, timed in the user's zone. */
export function sessionLabel(s: Pick<SessionInfo, "started_at">, ordinal: number, runs: number, formatTime = localHourMinute): string {
  return `Session ${ordinal} \u00b7 ${formatTime(s.started_at)} \u00b7 ${plural(runs, "run")}`;
}

/** "[3] Cell 5": rendered by the sidecar (render/tree.py), like every word about steps. */
export function executionLabel(e: Pick<ExecutionRecord, "label" | "cell_index">): string {
  return e.label ?? `Cell ${e.cell_index + 1}`;
}

/** The sidecar decides staleness (lineage/staleness.py) from what the editor says the cells hold now. */
export function isStale(e: Pick<ExecutionRecord, "stale">): boolean {
  return e.stale === "edited" || e.stale === "upstream";
}

export function executionDescription(e: ExecutionRecord, withStale = true): string {
  const text = e.description ?? e.status;
  if (!withStale) return text;
  if (e.stale === "edited") return `${text} (edited since)`;
  if (e.stale === "upstream") return `${text} (stale)`;
  return text;
}

/** "The cell has been edited since this run." / "Stale: it used results of [3] Cell 4, edited since." */
export function staleLine(e: ExecutionRecord, doc: LineageDocument): string | undefined {
  if (e.stale === "edited") return "_The cell has been edited since this run._";
  if (e.stale !== "upstream") return undefined;
  const edited = e.stale_because
    .map((seq) => doc.executions.find((other) => other.seq === seq))
    .filter((other): other is ExecutionRecord => other !== undefined)
    .map(executionLabel);
  return `_Stale: it used results of ${edited.length > 0 ? edited.join(", ") : "a cell"}, edited since._`;
}

export function statusIcon(status: ExecutionRecord["status"]): { icon: string; color: string } {
  switch (status) {
    case "ok":
      return { icon: "pass", color: "testing.iconPassed" };
    case "error":
      return { icon: "error", color: "testing.iconFailed" };
    case "cancelled":
      return { icon: "circle-slash", color: "testing.iconSkipped" };
  }
}

export function sessionTooltip(s: SessionInfo): string | undefined {
  const lines: string[] = [];
  if (s.kernel_label) lines.push(s.kernel_label);
  if (s.runtime_note) lines.push(`_${s.runtime_note}_`);
  return lines.length > 0 ? lines.join("\n\n") : undefined;
}

/** `sessionNote`: the note its session says for all of its runs, which the run's tooltip repeats. A failed run
 * leads with its error and what it left behind (`outcome`); its step lines are only what took effect. */
export function executionTooltip(
  e: ExecutionRecord,
  staleNote: string | undefined,
  formatTime: (iso: string) => string,
  sessionNote?: string | null,
): string {
  const lines = [`**${executionLabel(e)}** · ${executionDescription(e, false)}`];
  if (e.error && (e.error.name || e.error.message)) lines.push("", `${e.error.name ?? "Error"}: ${e.error.message ?? ""}`);
  if (e.outcome) lines.push("", e.outcome);
  lines.push("", `ran at ${formatTime(e.started_at)}`);
  if (staleNote) lines.push("", staleNote);
  const stepLines = e.step_lines ?? [];
  if (stepLines.length > 0) {
    lines.push("", "Steps:");
    for (const line of stepLines) lines.push(`- ${line}`);
  }
  if (e.analysis_error) lines.push("", `_${e.analysis_error}_`);
  const note = e.runtime_note ?? sessionNote;
  if (note) lines.push("", `_${note}_`);
  return lines.join("\n");
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

/** A copy of `value` with each field `defaults` names and `value` leaves out set to a new empty list or map. */
function filled<T extends object>(defaults: Readonly<Record<string, readonly never[] | Readonly<Record<string, never>>>>, value: T): T {
  const out = { ...value } as Record<string, unknown>;
  for (const [key, empty] of Object.entries(defaults)) if (out[key] === undefined) out[key] = Array.isArray(empty) ? [] : {};
  return out as T;
}

/** A record with the fields it shares with others (sent once, in the document's `shared_parts`) put back. */
function withSharedPart(sent: ExecutionRecordOnTheWire, parts: LineageDocumentOnTheWire["shared_parts"] = []): ExecutionRecordOnTheWire {
  if (sent.shared_part === undefined) return sent;
  const { shared_part: at, ...own } = sent;
  const part = Number.isInteger(at) ? parts[at] : undefined;
  if (part === undefined) {
    throw new Error(`lineage document: execution ${sent.seq} names shared_part ${at}, but the document has ${parts.length}`);
  }
  return { ...part, ...own };
}

/** A document as the tree reads it: each record with its shared part put back (LineageDocumentOnTheWire), and the
 * list/map fields the sidecar leaves out at their default filled in (RECORD_DEFAULTS, STEP_DEFAULTS: absent =
 * empty), so the tree code can rely on them. */
export function normalizeLineage(doc: LineageDocumentOnTheWire): LineageDocument {
  const { shared_parts: parts, ...rest } = doc;
  return {
    ...rest,
    sessions: (doc.sessions ?? []).map((s) => ({ ...s, executions: s.executions ?? 0 })),
    executions: (doc.executions ?? []).map((sent) => {
      const record = filled(RECORD_DEFAULTS, withSharedPart(sent, parts)) as ExecutionRecord;
      return { ...record, steps: record.steps.map((st) => filled(STEP_DEFAULTS, st)) };
    }),
  };
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
    const { icon, color } = statusIcon(e.status);
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
