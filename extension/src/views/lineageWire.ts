// Pure: a lineage document as the sidecar sends it (LineageDocumentOnTheWire: shared parts sent once, fields at
// their default left out) -> as the tree and the graph panel read it (LineageDocument).
import { RECORD_DEFAULTS, STEP_DEFAULTS } from "../sidecar/protocol";
import type { ExecutionRecord, ExecutionRecordOnTheWire, LineageDocument, LineageDocumentOnTheWire } from "../sidecar/protocol";

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
