// "Gather code for this variable" and "Verify reproducibility" against the mocked `vscode` module; the sidecar is a
// fake requester answering with protocol-shaped results.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { gatherCode, gatheredSummary, gatherParams, notebookCells } from "../../src/commands/gatherCode";
import { gatheredNotebookJson, SHOW_CELL, trackitMetadata, verifyOutcome, verifyReproducibility } from "../../src/commands/verifyReproducibility";
import { fakeCommandContext } from "../commandContext";
import type { GatherAnswer, VerifyResult } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { REVEAL_CELL_COMMAND } from "../../src/views/lineageTree";

const v = vscode as any;
const saved = { workspace: { ...v.workspace }, window: { ...v.window }, commands: { ...v.commands } };
afterEach(() => {
  delete v.workspace.openNotebookDocument;
  for (const key of ["activeNotebookEditor", "activeTextEditor", "withProgress", "showInformationMessage", "showWarningMessage", "showInputBox", "showNotebookDocument"])
    v.window[key] = saved.window[key];
  delete v.commands.executeCommand;
});

const NB = "file:///work/titanic/preprocess.ipynb";

const gathered: GatherAnswer = {
  notebook_uri: NB,
  target: "`model` after run #12",
  notebook: {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { trackit: { gathered: { format: "trackit.gather/1", notebook_uri: NB, variable: "model" } } },
    cells: [
      { cell_type: "markdown", id: "trackit-gathered", metadata: {}, source: "**Gathered by TrackIT**" },
      {
        cell_type: "code",
        id: "g1-titanic-01",
        metadata: { trackit: { origin: { cell_id: "titanic-01", seq: 1 }, compare: ["df"] } },
        source: "# from cell 2, run #1\nimport pandas as pd\ndf = pd.read_csv('passengers.csv')",
        outputs: [],
        execution_count: null,
      },
    ],
  },
  cells: 1,
  cells_in_session: 13,
  statements: 2,
  statements_in_session: 30,
  notes: ["a note"],
};

const context = fakeCommandContext;

describe("gather code", () => {
  it("reads a target as a variable, a run or an experiment", () => {
    assert.deepEqual(gatherParams(NB, "df"), { notebook_uri: NB, variable: "df", seq: null });
    assert.deepEqual(gatherParams(NB, "df", 7), { notebook_uri: NB, variable: "df", seq: 7 });
    assert.deepEqual(gatherParams(NB, "#12"), { notebook_uri: NB, seq: 12 });
    assert.deepEqual(gatherParams(NB, "E0003"), { notebook_uri: NB, experiment_id: "E0003" });
    assert.deepEqual(gatherParams(NB, undefined, 4), { notebook_uri: NB, seq: 4 });
    assert.equal(gatherParams(NB, "df.head()"), undefined);
    assert.equal(gatherParams(NB, ""), undefined);
  });

  it("turns the sidecar's nbformat JSON into cells with their TrackIT metadata", () => {
    const { cells, metadata } = notebookCells(gathered.notebook);
    assert.deepEqual(cells.map((c) => [c.kind, c.languageId]), [["markup", "markdown"], ["code", "python"]]);
    assert.equal(trackitMetadata(cells[1].metadata)?.compare instanceof Array, true);
    assert.equal((trackitMetadata(metadata)?.gathered as any).variable, "model");
    assert.match(gatheredSummary(gathered), /gathered `model` after run #12: 1 of 13 cells, 2 of 30 statements\. 1 note/);
  });

  it("gathers the variable under the cursor and opens it as an untitled notebook", async () => {
    const calls: [string, any][] = [];
    const opened: any[] = [];
    v.window.activeNotebookEditor = { notebook: { uri: vscode.Uri.parse(NB) } };
    v.window.activeTextEditor = {
      selection: { active: { line: 0, character: 3 } },
      document: { uri: vscode.Uri.parse("vscode-notebook-cell:/work/titanic/preprocess.ipynb#W1"), getWordRangeAtPosition: () => ({}), getText: () => "model" },
    };
    v.window.showInputBox = async (options: any) => {
      assert.equal(options.value, "model"); // the word under the cursor is offered
      assert.equal(options.validateInput("not a name!"), "not a variable name, #run or E####");
      return options.value;
    };
    v.window.withProgress = async (_o: unknown, task: () => Promise<unknown>) => task();
    v.workspace.openNotebookDocument = async (type: string, data: any) => {
      opened.push([type, data]);
      return { cellCount: data.cells.length };
    };
    v.window.showNotebookDocument = async () => ({ selections: [], revealRange: () => undefined });
    let info = "";
    v.window.showInformationMessage = async (message: string) => ((info = message), undefined);
    await gatherCode(context({ [Methods.GATHER]: () => gathered }, calls));
    assert.deepEqual(calls, [[Methods.GATHER, { notebook_uri: NB, variable: "model", seq: null }]]);
    assert.equal(opened[0][0], "jupyter-notebook");
    assert.ok(opened[0][1] instanceof v.NotebookData);
    assert.equal(opened[0][1].cells[1].value, (gathered.notebook as any).cells[1].source);
    assert.match(info, /TrackIT gathered `model`/);
  });

  it("takes the target from its arguments (hover, tree and graph call it that way) without asking", async () => {
    const calls: [string, any][] = [];
    v.window.showInputBox = async () => assert.fail("must not ask");
    v.window.withProgress = async (_o: unknown, task: () => Promise<unknown>) => task();
    v.workspace.openNotebookDocument = async () => ({ cellCount: 2 });
    v.window.showNotebookDocument = async () => ({});
    v.window.showInformationMessage = async () => undefined;
    await gatherCode(context({ [Methods.GATHER]: () => gathered }, calls), NB, "X_train", 11);
    assert.deepEqual(calls[0][1], { notebook_uri: NB, variable: "X_train", seq: 11 });
  });
});

describe("verify reproducibility", () => {
  const diverged: VerifyResult = {
    notebook_uri: NB,
    reproduced: false,
    message: "step 4, cell 4 (from cell 10, run #5) `df = df[df['Embarked'].notna()]`: recorded 889 rows, replay 891 rows",
    steps: 4,
    matched: 3,
    divergence: { gathered_cell: 4, cell_id: "titanic-09", cell_index: 9, seq: 5, step: 4, variable: "df", code: null, difference: "recorded 889 rows, replay 891 rows", error: null, causes: [] },
    unverified: [],
    notes: [],
    kernel_name: "python3",
    seconds: 3.2,
  };

  it("words the outcome and points at the cell the divergence came from", () => {
    assert.deepEqual(verifyOutcome({ ...diverged, reproduced: true, message: "reproduced \u2713 (4 of 4 steps match)", divergence: null }), {
      level: "info",
      text: "TrackIT: reproduced \u2713 (4 of 4 steps match)",
    });
    const outcome = verifyOutcome(diverged);
    assert.equal(outcome.level, "warning");
    assert.deepEqual(outcome.reveal, [NB, "titanic-09", 9]);
  });

  it("replays the open gathered notebook as it is, and the link reveals the recorded cell", async () => {
    const calls: [string, any][] = [];
    const executed: unknown[][] = [];
    const cells = notebookCells(gathered.notebook).cells.map((c) => ({
      kind: c.kind === "code" ? 2 : 1,
      metadata: c.metadata,
      document: { getText: () => (c.kind === "code" ? c.value.replace("passengers.csv", "edited.csv") : c.value) },
    }));
    v.window.activeNotebookEditor = { notebook: { uri: vscode.Uri.parse("untitled:Untitled-1.ipynb"), metadata: notebookCells(gathered.notebook).metadata, getCells: () => cells } };
    let progressTitle = "";
    v.window.withProgress = async (o: { title: string }, task: () => Promise<unknown>) => ((progressTitle = o.title), task());
    v.window.showWarningMessage = async (message: string, ...items: string[]) => {
      assert.match(message, /recorded 889 rows, replay 891 rows/);
      assert.deepEqual(items, [SHOW_CELL]);
      return SHOW_CELL;
    };
    v.commands.executeCommand = async (...args: unknown[]) => void executed.push(args);
    await verifyReproducibility(context({ [Methods.VERIFY]: () => diverged }, calls));
    assert.match(progressTitle, /verifying reproducibility/);
    assert.equal(calls[0][0], Methods.VERIFY);
    assert.equal(calls[0][1].notebook_uri, NB);
    const sent = calls[0][1].gathered;
    assert.equal(sent.cells[1].source.includes("edited.csv"), true); // the edit is replayed
    assert.deepEqual(sent.cells[1].metadata.trackit.origin, { cell_id: "titanic-01", seq: 1 });
    assert.deepEqual(executed, [[REVEAL_CELL_COMMAND, NB, "titanic-09", 9]]);
  });

  it("gathers first when given a notebook and variable, and says reproduced", async () => {
    const calls: [string, any][] = [];
    v.window.activeNotebookEditor = undefined;
    v.window.withProgress = async (_o: unknown, task: () => Promise<unknown>) => task();
    let info = "";
    v.window.showInformationMessage = async (m: string) => ((info = m), undefined);
    const ok: VerifyResult = { ...diverged, reproduced: true, message: "reproduced \u2713 (16 of 16 steps match)", divergence: null };
    await verifyReproducibility(context({ [Methods.VERIFY]: () => ok }, calls), NB, "model");
    assert.deepEqual(calls[0][1], { notebook_uri: NB, variable: "model", seq: null });
    assert.equal(info, "TrackIT: reproduced \u2713 (16 of 16 steps match)");
  });

  it("is not fooled by a notebook without gather metadata", () => {
    const plain = { metadata: { metadata: {} }, getCells: () => [] };
    assert.equal(gatheredNotebookJson(plain), undefined);
  });
});
