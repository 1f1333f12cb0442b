// TrackIT: Verify reproducibility: replay the gathered code in a fresh kernel and compare every step with the
// recording; say "reproduced ✓" or the first divergence, with a button that reveals the cell it came from.
// On a gathered notebook (opened by "Gather code") it replays that notebook as it is now, edits included;
// elsewhere it gathers the target first (arguments as for trackit.gatherCode).
import type * as vscode from "vscode";
import { activeNotebookEditor, executeCommand, showInformationMessage, showWarningMessage, withProgress } from "../common/vscodeapi";
import type { VerifyParams, VerifyResult } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { REVEAL_CELL_COMMAND } from "../views/lineageTree";
import type { CommandContext } from "./context";
import { gatherParams } from "./gatherCode";
import { NO_NOTEBOOK_MESSAGE, targetNotebookUri } from "./target";

export const VERIFY_COMMAND = "trackit.verifyReproducibility";
export const SHOW_CELL = "Show cell";

type Meta = Record<string, unknown> | undefined;

/** Pure: the `trackit` object of cell or notebook metadata, wherever the notebook serializer put it. */
export function trackitMetadata(metadata: Meta): Record<string, unknown> | undefined {
  const m = metadata ?? {};
  const candidates = [m, m.metadata, (m.custom as Meta)?.metadata] as Meta[];
  for (const c of candidates) {
    const found = c?.trackit;
    if (found && typeof found === "object") return found as Record<string, unknown>;
  }
  return undefined;
}

interface CellLike {
  kind: number;
  metadata?: Meta;
  document: { getText(): string };
}
interface NotebookLike {
  metadata?: Meta;
  getCells(): readonly CellLike[];
}

/** Pure: a gathered notebook (as open in the editor, maybe edited) back to the JSON `trackit replay` reads;
 * undefined when it is not one `trackit gather` made. */
export function gatheredNotebookJson(doc: NotebookLike, codeKind = 2): Record<string, unknown> | undefined {
  const gathered = trackitMetadata(doc.metadata)?.gathered;
  if (!gathered) return undefined;
  const cells = doc.getCells().map((cell, index) => {
    const meta = (cell.metadata?.metadata as Meta) ?? (cell.metadata?.custom as Meta)?.metadata ?? {};
    const trackit = trackitMetadata(cell.metadata);
    return {
      cell_type: cell.kind === codeKind ? "code" : "markdown",
      id: String(cell.metadata?.id ?? `cell-${index}`),
      metadata: trackit ? { ...meta, trackit } : meta,
      source: cell.document.getText(),
      ...(cell.kind === codeKind ? { outputs: [], execution_count: null } : {}),
    };
  });
  return { nbformat: 4, nbformat_minor: 5, metadata: { trackit: { gathered } }, cells };
}

export interface VerifyOutcome {
  level: "info" | "warning";
  text: string;
  /** REVEAL_CELL_COMMAND arguments for the cell the divergence came from. */
  reveal?: [string, string, number];
}

/** Pure: what to tell the user about a verification. */
export function verifyOutcome(result: VerifyResult): VerifyOutcome {
  if (result.reproduced) return { level: "info", text: `TrackIT: ${result.message}` };
  const d = result.divergence;
  return {
    level: "warning",
    text: `TrackIT: ${result.message}`,
    reveal: d ? [result.notebook_uri, d.cell_id, d.cell_index] : undefined,
  };
}

export async function verifyReproducibility(ctx: CommandContext, notebookArg?: unknown, variableArg?: unknown, seqArg?: unknown): Promise<void> {
  const active = activeNotebookEditor()?.notebook as unknown as (NotebookLike & vscode.NotebookDocument) | undefined;
  const gathered = notebookArg === undefined && active ? gatheredNotebookJson(active) : undefined;
  let params: VerifyParams | undefined;
  if (gathered) {
    const meta = (gathered.metadata as { trackit: { gathered: { notebook_uri?: string } } }).trackit.gathered;
    params = { notebook_uri: String(meta.notebook_uri ?? ""), gathered };
  } else {
    const notebookUri = targetNotebookUri(notebookArg);
    if (!notebookUri) {
      void showWarningMessage(NO_NOTEBOOK_MESSAGE);
      return;
    }
    const variable = typeof variableArg === "string" ? variableArg : undefined;
    const seq = typeof seqArg === "number" ? seqArg : undefined;
    params = gatherParams(notebookUri, variable, seq);
    if (!params) {
      void showWarningMessage("TrackIT: Verify reproducibility needs a variable or run (or run it on a gathered notebook).");
      return;
    }
  }
  const request = params;
  const result = await withProgress("TrackIT: verifying reproducibility (replaying in a fresh kernel)\u2026", () =>
    ctx.sidecar.request<VerifyResult>(Methods.VERIFY, request),
  );
  ctx.log.info(`verify ${result.notebook_uri}: ${result.message} (${result.seconds.toFixed(1)} s, kernel ${result.kernel_name ?? "?"})`);
  const outcome = verifyOutcome(result);
  if (outcome.level === "info") {
    void showInformationMessage(outcome.text);
    return;
  }
  const choice = await (outcome.reveal ? showWarningMessage(outcome.text, SHOW_CELL) : showWarningMessage(outcome.text));
  if (choice === SHOW_CELL && outcome.reveal) await executeCommand(REVEAL_CELL_COMMAND, ...outcome.reveal);
}
