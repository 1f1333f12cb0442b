// The messages between the data lineage graph webview (webview/graph.ts) and its host (views/graphPanel.ts).
import type { ProvenanceGraph } from "../../sidecar/protocol";
import type { ScopeOption } from "./scope";

export type ToGraphView =
  | { type: "loading"; title: string }
  | { type: "graph"; title: string; graph: ProvenanceGraph; scopes: ScopeOption[]; scope: string }
  | { type: "error"; title: string; message: string };

export type FromGraphView =
  | { type: "ready" }
  | { type: "reveal"; cellId: string; cellIndex: number }
  | { type: "scope"; value: string }
  | { type: "variable"; name: string }
  | { type: "gather" | "verify"; variable: string; seq?: number }
  | { type: "painted"; nodes: number; layoutMs: number; paintMs: number };
