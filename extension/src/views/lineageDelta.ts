// Pure: what the editor holds of one notebook's lineage, and how answers and trackit/lineageChanged deltas change it.
// Every session is described (SessionInfo, with its run count); only the executions of the sessions loaded are
// held: the latest one (opened with the notebook) and those the user expanded. A delta (the sidecar's changes
// since the last one, by seq) is applied when the editor holds every execution up to its `after_seq`; otherwise,
// or when a message carries no delta, the notebook is read again. No vscode here: the tree provider
// (lineageTree.ts) does the I/O and the repainting.
import type { ExecutionRecord, LineageChanged, LineageDocument, SessionInfo } from "../sidecar/protocol";

export interface NotebookLineage {
  /** `sessions`: every session; `executions`: those of the loaded sessions, in seq order. */
  readonly doc: LineageDocument;
  readonly loaded: ReadonlySet<number>;
  /** The newest seq this model has heard of (a window's executions may end before it). */
  readonly latestSeq: number;
}

export type ChangeResult =
  | { kind: "reload" }
  | {
      kind: "applied";
      model: NotebookLineage;
      /** What to repaint: sessions whose description or runs changed, executions whose record changed. */
      sessions: number[];
      executions: number[];
    };

const bySeq = (a: ExecutionRecord, b: ExecutionRecord) => a.seq - b.seq;

function latestSession(doc: LineageDocument): number | undefined {
  const ids = (doc.sessions ?? []).map((s) => s.id);
  return ids.length > 0 ? Math.max(...ids) : undefined;
}

/** An answer to trackit/lineage: every execution (no window), or the window asked for. */
export function fromDocument(doc: LineageDocument, window: { session?: number; latestSession?: boolean } = {}): NotebookLineage {
  const executions = [...(doc.executions ?? [])].sort(bySeq);
  const all = window.session === undefined && !window.latestSession;
  const loaded = new Set<number>(
    all ? (doc.sessions ?? []).map((s) => s.id) : window.session !== undefined ? [window.session] : [latestSession(doc) ?? 0],
  );
  for (const e of executions) if (all) loaded.add(e.session);
  const newest = executions.length > 0 ? executions[executions.length - 1].seq : 0;
  return { doc: { ...doc, executions }, loaded, latestSeq: Math.max(doc.latest_seq ?? 0, newest) };
}

/** One more session read (the user expanded it): its runs join the model, with the sessions as described now. */
export function withSession(model: NotebookLineage, answer: LineageDocument, session: number): NotebookLineage {
  const kept = model.doc.executions.filter((e) => e.session !== session);
  const added = (answer.executions ?? []).filter((e) => e.session === session);
  const loaded = new Set(model.loaded);
  loaded.add(session);
  return {
    doc: { ...model.doc, sessions: answer.sessions ?? model.doc.sessions, executions: [...kept, ...added].sort(bySeq) },
    loaded,
    latestSeq: Math.max(model.latestSeq, answer.latest_seq ?? 0),
  };
}

/** A collapsed session's runs are let go (the tree's memory is what is expanded); the latest one is kept. */
export function withoutSession(model: NotebookLineage, session: number): NotebookLineage {
  if (!model.loaded.has(session) || session === latestSession(model.doc)) return model;
  const loaded = new Set(model.loaded);
  loaded.delete(session);
  return { ...model, doc: { ...model.doc, executions: model.doc.executions.filter((e) => e.session !== session) }, loaded };
}

/** Apply a trackit/lineageChanged to the model, or say it must be read again. */
export function applyChange(model: NotebookLineage, change: LineageChanged): ChangeResult {
  if (change.after_seq === undefined || change.after_seq === null || model.latestSeq < change.after_seq) return { kind: "reload" };
  const sessions = new Map<number, SessionInfo>(model.doc.sessions.map((s) => [s.id, s]));
  const repaintSessions = new Set<number>();
  for (const info of change.sessions ?? []) {
    if (!sessions.has(info.id) && !model.loaded.has(info.id)) repaintSessions.add(info.id);
    sessions.set(info.id, info);
    repaintSessions.add(info.id);
  }
  const known = new Set(model.doc.sessions.map((s) => s.id));
  const loaded = new Set(model.loaded);
  const executions = new Map<number, ExecutionRecord>(model.doc.executions.map((e) => [e.seq, e]));
  const repaintExecutions: number[] = [];
  for (const e of change.executions ?? []) {
    if (!known.has(e.session)) loaded.add(e.session); // a session that began since: all of its runs come as deltas
    if (!loaded.has(e.session)) continue; // not held: read when expanded
    if (executions.has(e.seq)) repaintExecutions.push(e.seq);
    else repaintSessions.add(e.session);
    executions.set(e.seq, e);
  }
  const doc: LineageDocument = {
    ...model.doc,
    sessions: [...sessions.values()].sort((a, b) => a.id - b.id),
    executions: [...executions.values()].sort(bySeq),
    latest_seq: Math.max(model.latestSeq, change.seq),
  };
  return {
    kind: "applied",
    model: { doc, loaded, latestSeq: Math.max(model.latestSeq, change.seq) },
    sessions: [...repaintSessions],
    executions: repaintExecutions,
  };
}
