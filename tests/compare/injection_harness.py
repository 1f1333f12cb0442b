"""Run the injected-change cases of tests/compare/injections.json and score `trackit diff` on them.

Each notebook is copied to a temporary folder with its data and run with `trackit run` (a real kernel) once as
it is; then, per case, the change is applied, the notebook runs again (a new run in the same database), the
change is undone, and the experiment of `experiment_cell` of both runs (or the two runs) is diffed. Used by
bench/eval_compare.py (every case, public notebooks included) and by a CI test (cases on this repository's
notebooks only). Nothing here is tuned per case: the manifest was written before any case ran.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "tests" / "compare" / "injections.json"
CORPUS_RUN = Path("/work/corpus/blind/run")
FIXTURES = REPO / "tests" / "compare" / "fixture_packages"
CAUSE_CATEGORY = {"feature": "edit", "code": "edit"}


def load_cases(ids: Optional[Iterable[str]] = None) -> list[dict]:
    cases = json.loads(MANIFEST.read_text(encoding="utf-8"))["cases"]
    if ids is not None:
        wanted = list(ids)
        cases = [c for c in cases if c["id"] in wanted]
    return cases


def notebook_path(case: dict) -> Path:
    name = case["notebook"]
    if name.startswith("corpus:"):
        return CORPUS_RUN / name[len("corpus:"):]
    return REPO / name


def notebook_root(case: dict) -> Path:
    """The folder copied for a run: the runnable copy's folder, or the notebook's own folder."""
    name = case["notebook"]
    if name.startswith("corpus:"):
        return CORPUS_RUN / name[len("corpus:"):].split("/", 1)[0]
    return notebook_path(case).parent


def make_kernelspecs(root: Path, eval_python: Optional[str]) -> dict[str, str]:
    """Kernelspecs under root/share/jupyter: fixture-1.0 / fixture-1.1 (this interpreter, the fixture package's
    version on the kernel's path) and eval (an interpreter with plotting libraries, for public notebooks).
    Returns the environment to run `trackit` with."""
    kernels = root / "share" / "jupyter" / "kernels"
    for version in ("1.0", "1.1"):
        spec = kernels / f"fixture-{version}"
        spec.mkdir(parents=True, exist_ok=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python 3 (fixture {version})", "language": "python",
            "env": {"PYTHONPATH": str(FIXTURES / f"v{version}")}}))
    if eval_python:
        spec = kernels / "eval"
        spec.mkdir(parents=True, exist_ok=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [eval_python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (eval)", "language": "python", "env": {"MPLBACKEND": "Agg"}}))
    env = dict(os.environ)
    env["JUPYTER_PATH"] = str(root / "share" / "jupyter")
    return env


# ---------------------------------------------------------------- changes
def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def apply_change(change: dict, notebook: Path) -> None:
    """Edit the working copy (its notebook or a data file next to it)."""
    if "file" in change:
        target = notebook.parent / change["file"]
        text = target.read_text(encoding="utf-8")
        old, new = change["replace"]
        assert old in text, f"{old!r} not in {target}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return
    if "kernel" in change:
        return
    nb = _notebook(notebook)
    cells = nb["cells"]
    if "cell" in change:
        old, new = change["replace"]
        source = _source(cells[change["cell"]])
        assert old in source, f"{old!r} not in cell {change['cell']}"
        cells[change["cell"]]["source"] = source.replace(old, new, 1)
    elif "insert_after" in change:
        cells.insert(change["insert_after"] + 1, {"cell_type": "code", "execution_count": None, "id": "injected-cell",
                                                  "metadata": {}, "outputs": [], "source": change["source"]})
    elif "delete" in change:
        del cells[change["delete"]]
    notebook.write_text(json.dumps(nb, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- running
def trackit_run(notebook: Path, db: Path, kernel: Optional[str], env: dict[str, str], timeout: float = 600) -> str:
    command = [str(Path(sys.executable).parent / "trackit"), "run", str(notebook), "--db", str(db)]
    if kernel:
        command += ["--kernel", kernel]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    return done.stdout + done.stderr


@dataclass
class Outcome:
    case: dict
    predicted: dict[str, Any] = field(default_factory=dict)
    correct: bool = False
    feature_named: Optional[bool] = None  # when the case expects a feature path
    error: Optional[str] = None
    diff_text: str = ""


def _prediction(diff) -> dict[str, Any]:
    d = diff.divergence
    if d is None:
        return {"divergence": None}
    ref = d.a if d.kind == "only_a" else (d.b or d.a)
    return {"side": "a" if d.kind == "only_a" else "b", "cell": ref.cell_index, "variable": ref.variable,
            "op": ref.op, "kind": d.kind, "cause": CAUSE_CATEGORY.get(d.cause.kind, d.cause.kind),
            "cause_cell": d.cause.cell_index, "features": [c.path for c in d.cause.feature_changes]}


def score(case: dict, predicted: dict[str, Any]) -> tuple[bool, Optional[bool]]:
    expected = case["expected"]
    if "divergence" in expected:  # the change cannot alter the data: right when no step diverged
        return predicted.get("divergence", True) is None, None
    if predicted.get("divergence", True) is None:
        return False, (False if "feature" in expected else None)
    variables = expected["variable"] if isinstance(expected["variable"], list) else [expected["variable"]]
    right = (predicted["side"] == expected.get("side", "b") and predicted["cell"] == expected["cell"]
             and predicted["variable"] in variables and predicted["cause"] == expected["cause"])
    if "cause_cell" in expected:
        right = right and predicted["cause_cell"] == expected["cause_cell"]
    feature = (expected["feature"] in predicted["features"]) if "feature" in expected else None
    return right, feature


def _experiment_in_run(experiments: list, session: int, cell_id: str):
    found = [e for e in experiments if e.session == session and e.cell_id == cell_id]
    return found[-1] if found else None


def run_group(cases: list[dict], workdir: Path, env: dict[str, str], log: Callable[[str], None] = print
              ) -> list[Outcome]:
    """Cases on one notebook (and base kernel): one base run, then one run per case."""
    from trackit_sidecar.notebook_file import cell_id_for
    from trackit_sidecar.services import TrackitService
    from trackit_sidecar.store import Store

    first = cases[0]
    source_root = notebook_root(first)
    root = workdir / source_root.name
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(source_root, root)
    notebook = root / notebook_path(first).relative_to(source_root)
    db = workdir / f"{root.name}.duckdb"
    pristine = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    kernel = first.get("kernel")
    log(f"base run of {notebook.name} ({kernel or 'default kernel'})")
    trackit_run(notebook, db, kernel, env)
    outcomes: list[Outcome] = []
    sessions: list[tuple[dict, int]] = []
    for number, case in enumerate(cases, start=2):
        apply_change(case["change"], notebook)
        output = trackit_run(notebook, db, case["change"].get("kernel", kernel), env)
        for path, data in pristine.items():
            path.write_bytes(data)
        sessions.append((case, number))
        if "stopped" in output or "trackit:" in output:
            log(f"  {case['id']}: the changed run did not finish: {output.strip().splitlines()[-1]}")
    service = TrackitService(Store.open(str(db)))
    try:
        uri = notebook.resolve().as_uri()
        experiments = service.experiments.all(uri)
        cells = _notebook(notebook)["cells"]
        for case, session in sessions:
            outcome = Outcome(case)
            try:
                if case.get("compare") == "runs":
                    diff = service.compare.diff("run 1", f"run {session}", uri)
                else:
                    cell_id = cell_id_for(cells[case["experiment_cell"]], case["experiment_cell"])
                    base = _experiment_in_run(experiments, 1, cell_id)
                    changed = _experiment_in_run(experiments, session, cell_id)
                    if base is None or changed is None:
                        raise LookupError(f"no experiment at cell {case['experiment_cell']} in run "
                                          f"{1 if base is None else session}")
                    diff = service.compare.diff(base.id, changed.id)
                outcome.predicted = _prediction(diff)
                outcome.diff_text = diff.text or ""
                outcome.correct, outcome.feature_named = score(case, outcome.predicted)
            except Exception as error:  # a case that cannot be scored counts as wrong, with its reason
                outcome.error = f"{type(error).__name__}: {error}"
            outcomes.append(outcome)
    finally:
        service.store.close()
    return outcomes


def run_cases(cases: list[dict], eval_python: Optional[str] = None, log: Callable[[str], None] = print,
              workdir: Optional[Path] = None) -> list[Outcome]:
    groups: dict[tuple[str, Optional[str]], list[dict]] = {}
    for case in cases:
        if case.get("not_runnable_here"):
            log(f"  {case['id']}: left out, not runnable here: {case['not_runnable_here']}")
            continue
        groups.setdefault((case["notebook"], case.get("kernel")), []).append(case)
    with tempfile.TemporaryDirectory(prefix="trackit-injections-") as tmp:
        base = workdir or Path(tmp)
        env = make_kernelspecs(base, eval_python)
        outcomes: list[Outcome] = []
        for group in groups.values():
            outcomes.extend(run_group(group, base, env, log))
        return outcomes
