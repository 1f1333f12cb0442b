// Pure: the lineage tree's filter box: its text as terms ("var:df", "op:dropna", "cell:5", or a plain word) and
// whether a run matches them. lineageModel.ts keeps the runs that match.
import type { ExecutionRecord } from "../sidecar/protocol";
import { executionLabel } from "./lineageWords";

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
