import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kernelFieldsFor, NotebookKernelRegistry, toNotebookKernel, UriLike } from "../../src/notebook/kernels";
import { ExecutionReducer } from "../../src/notebook/reducer";
import { FakeNotebook, runFinished, runStarted, sequentialIds } from "../fakes";

function fileUri(path: string): UriLike {
  return { toString: () => `file://${path}`, scheme: "file", fsPath: path };
}
const parseUri = (text: string): UriLike =>
  text.startsWith("file://") ? fileUri(text.slice("file://".length)) : { toString: () => text, scheme: text.split(":")[0], fsPath: "" };

describe("trackit.notebookKernel announcements", () => {
  it("turns a controller's announcement into the wire message", () => {
    const msg = toNotebookKernel(
      { notebook: fileUri("/work/a.ipynb"), connectionFile: "/run/kernel-1.json", kernelId: "1", kernelName: "python3",
        displayName: "Python 3 (ipykernel)", language: "python" },
      parseUri,
    );
    assert.deepEqual(msg, {
      notebook_uri: "file:///work/a.ipynb", notebook_path: "/work/a.ipynb", connection_file: "/run/kernel-1.json",
      kernel_id: "1", kernel_name: "python3", kernel_display_name: "Python 3 (ipykernel)", language: "python",
    });
    // a URI string works too; a non-file notebook has no path; a kernel id alone is enough
    const remote = toNotebookKernel({ notebook: "vscode-remote://box/a.ipynb", kernelId: "abc" }, parseUri);
    assert.equal(remote.notebook_path, null);
    assert.equal(remote.connection_file, null);
    assert.equal(remote.kernel_id, "abc");
  });

  it("rejects announcements that name no kernel or no notebook, saying why", () => {
    assert.throws(() => toNotebookKernel(undefined, parseUri), /expected \{ notebook/);
    assert.throws(() => toNotebookKernel({ notebook: fileUri("/a.ipynb") }, parseUri), /connectionFile or kernelId is required/);
    assert.throws(() => toNotebookKernel({ notebook: 42, connectionFile: "/k.json" }, parseUri), /notebook must be/);
    assert.throws(() => toNotebookKernel({ notebook: fileUri("/a.ipynb"), connectionFile: 7 }, parseUri), /connectionFile must be/);
    assert.throws(() => toNotebookKernel({ notebook: fileUri("/a.ipynb"), connectionFile: "" }, parseUri), /connectionFile must be/);
  });

  it("keeps the latest announcement per notebook", () => {
    const registry = new NotebookKernelRegistry();
    const first = toNotebookKernel({ notebook: fileUri("/a.ipynb"), kernelId: "k1" }, parseUri);
    const second = toNotebookKernel({ notebook: fileUri("/a.ipynb"), kernelId: "k2" }, parseUri);
    const other = toNotebookKernel({ notebook: fileUri("/b.ipynb"), kernelId: "k3" }, parseUri);
    registry.set(first);
    registry.set(other);
    registry.set(second);
    assert.equal(registry.get("file:///a.ipynb")?.kernel_id, "k2");
    assert.deepEqual(registry.all().map((k) => k.kernel_id).sort(), ["k2", "k3"]);
    registry.forget("file:///a.ipynb");
    assert.equal(registry.get("file:///a.ipynb"), undefined);
  });
});

describe("the kernel named on an execution record", () => {
  it("is the announced kernel, else what the notebook declares", () => {
    const announced = toNotebookKernel(
      { notebook: fileUri("/a.ipynb"), kernelId: "k1", kernelName: "analysis-env", displayName: "Python (analysis-env)" },
      parseUri,
    );
    assert.deepEqual(kernelFieldsFor(announced, { name: "python3", displayName: "Python 3" }), {
      kernel_id: "k1", kernel_name: "analysis-env", kernel_display_name: "Python (analysis-env)",
    });
    assert.deepEqual(kernelFieldsFor(undefined, { name: "python3", displayName: "Python 3" }), {
      kernel_id: null, kernel_name: "python3", kernel_display_name: "Python 3",
    });
  });

  it("is filled in by the reducer from the registry", () => {
    const registry = new NotebookKernelRegistry();
    const nb = new FakeNotebook();
    const cell = nb.add("x = 1", { id: "c1" });
    const r = new ExecutionReducer({
      settleMs: 0, limits: { maxTextBytes: 1024, maxBinaryBytes: 1024 }, newId: sequentialIds(),
      kernelOf: (uri) => registry.get(uri),
    });
    r.handleChange(runStarted(nb, cell, 1), 0);
    r.handleChange(runFinished(nb, cell, 1, true, 0, 5), 5);
    const [before] = r.flush(10);
    assert.deepEqual([before.kernel_id, before.kernel_name], [null, "python3"], "declared by the notebook's metadata");
    registry.set(toNotebookKernel(
      { notebook: nb.uri.toString(), kernelId: "k9", kernelName: "analysis-env", displayName: "Python (analysis-env)" },
      parseUri,
    ));
    r.handleChange(runStarted(nb, cell, 2), 20);
    r.handleChange(runFinished(nb, cell, 2, true, 20, 25), 25);
    const [after] = r.flush(30);
    assert.deepEqual([after.kernel_id, after.kernel_name, after.kernel_display_name], ["k9", "analysis-env", "Python (analysis-env)"]);
  });
});
