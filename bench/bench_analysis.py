"""Static analysis speed (issue 10 item 6): a script that prints figures, asserts nothing.

    .venv/bin/python bench/bench_analysis.py [--cells 300] [--rounds 7] [--record]

Builds a long notebook from the code cells of the existing corpus (tests/corpus/*.ipynb, in file order,
repeated until --cells cells), writes it to a temporary file and measures, with the analysis cache
cleared before every round:

  notebook  lineage.static_notebook.analyze_notebook over the whole file (read, analyse every cell in the
            context of the ones before, link parents), then render.tree.label_document (the words)
  per cell  lineage.analysis.analyze_cell for each cell in its context: p50 / p95 / max

Targets: a 300-cell notebook <= 1 s; per-cell p95 <= 10 ms. As a baseline measured in the same run it
also times def-use alone (lineage.defuse.analyze_defuse) over the same cells: the classifier's cost is
the difference. --record also writes bench/results/analysis.json (bench/bench_record.py) for the README table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "sidecar"))

from trackit_sidecar.lineage import analysis  # noqa: E402
from trackit_sidecar.lineage.defuse import analyze_defuse  # noqa: E402
from trackit_sidecar.lineage.static_notebook import analyze_notebook, read_code_cells  # noqa: E402
from trackit_sidecar.protocol import source_sha256  # noqa: E402
from trackit_sidecar.render.tree import label_document  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from bench_record import Figure, Recording, Row  # noqa: E402

TARGET_NOTEBOOK_S = 1.0
TARGET_CELL_P95_MS = 10.0


def corpus_sources() -> list[str]:
    sources: list[str] = []
    for notebook in sorted((REPO / "tests" / "corpus").glob("*.ipynb")):
        sources.extend(cell.source for cell in read_code_cells(notebook))
    return sources


def long_notebook(sources: list[str], cells: int, path: Path) -> None:
    picked = [sources[i % len(sources)] for i in range(cells)]
    # a comment makes every repeat a distinct source: no cell is a cache hit of an earlier one
    code = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": f"{src}\n# copy {i // len(sources)}" if i >= len(sources) else src}
            for i, src in enumerate(picked)]
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"language_info": {"name": "python"}}, "cells": code}
    path.write_text(json.dumps(nb), encoding="utf-8")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="write bench/results/analysis.json")
    args = parser.parse_args()
    recording = Recording("bench/bench_analysis.py", sys.argv) if args.record else None

    sources = corpus_sources()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.ipynb"
        long_notebook(sources, args.cells, path)
        cells = read_code_cells(path)
        notebook_s, render_s, defuse_s = [], [], []
        per_cell_ms: list[float] = []
        steps = 0
        for _ in range(args.rounds):
            analysis.clear_cache()
            started = time.perf_counter()
            doc = analyze_notebook(path)
            notebook_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            label_document(doc)
            render_s.append(time.perf_counter() - started)
            steps = sum(len(e.steps) for e in doc.executions)

            analysis.clear_cache()
            context: dict[str, str] = {}
            for cell in cells:
                sha = source_sha256(cell.source)
                started = time.perf_counter()
                result = analysis.analyze_cell(cell.source, cell.language, sha, context)
                per_cell_ms.append((time.perf_counter() - started) * 1000)
                analysis.apply_context(context, result.context_delta)

            started = time.perf_counter()
            for cell in cells:
                analyze_defuse(cell.source)
            defuse_s.append(time.perf_counter() - started)

    notebook = statistics.median(notebook_s)
    p95 = percentile(per_cell_ms, 0.95)
    print(f"static analysis of a {len(cells)}-cell notebook built from {len(sources)} corpus cells "
          f"({steps} steps), {args.rounds} rounds, cache cleared each round")
    print(f"  analyze_notebook     median {notebook * 1000:7.1f} ms   (target <= {TARGET_NOTEBOOK_S * 1000:.0f} ms)")
    print(f"  + label_document     median {statistics.median(render_s) * 1000:7.1f} ms   (the rendered words)")
    print(f"  def-use alone        median {statistics.median(defuse_s) * 1000:7.1f} ms   (baseline, same cells)")
    print(f"  per cell analyze_cell  p50 {percentile(per_cell_ms, 0.5):6.2f} ms   p95 {p95:6.2f} ms   "
          f"max {max(per_cell_ms):6.2f} ms   (target p95 <= {TARGET_CELL_P95_MS:.0f} ms)")
    print(f"  ratio to target: notebook {notebook / TARGET_NOTEBOOK_S:.2f}, per-cell p95 {p95 / TARGET_CELL_P95_MS:.2f}")
    if recording:
        recording.add(Row(
            "analysis", f"static analysis of a {len(cells)}-cell notebook built from the corpus cells, cache cleared",
            f"≤ {TARGET_NOTEBOOK_S:g} s; per cell p95 ≤ {TARGET_CELL_P95_MS:g} ms",
            [Figure("notebook median", notebook * 1000, "ms"),
             Figure("per cell p95", p95, "ms")],
            notebook <= TARGET_NOTEBOOK_S and p95 <= TARGET_CELL_P95_MS,
            {"rounds": args.rounds, "steps": steps, "label_document_median_ms": statistics.median(render_s) * 1000,
             "defuse_alone_median_ms": statistics.median(defuse_s) * 1000,
             "per_cell_ms": {"p50": percentile(per_cell_ms, 0.5), "p95": p95, "max": max(per_cell_ms)}}))
        recording.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
