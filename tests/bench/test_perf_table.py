"""The README performance table is the rendering of the committed results (bench/perf_table.py), and the renderer
and the results writer (bench/bench_record.py) on small inputs. No benchmark runs here."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import bench_record  # noqa: E402
import perf_table  # noqa: E402


def recorded(row: str, **changes) -> dict:
    doc = {
        "schema": bench_record.SCHEMA, "row": row, "what": "built-in summary", "target": "p95 ≤ 200 ms",
        "headline": [{"name": "p95", "value": 32.04, "unit": "ms", "baseline": 40.05, "ratio": 0.8}],
        "met": True, "figures": {}, "recorded_by": "script", "script": "bench/bench_summary.py",
        "command": "bench/bench_summary.py --record", "measured_at": "2026-12-05T01:02:03Z",
        "finished_at": "2026-12-05T01:02:09Z", "load": {"before": [1.24, 1.0, 0.9], "after": [1.56, 1.1, 0.9]},
        "build": {"commit": "4f9329d" + "0" * 33, "dirty": False}, "baseline": {"commit": "ff5f638" + "1" * 33,
                                                                             "dirty": True},
        "machine": {"short": "EPYC 2 cores 23.5 GB"},
    }
    doc.update(changes)
    return doc


def transcribed(row: str) -> dict:
    return {"schema": bench_record.SCHEMA, "row": row, "what": "VSIX size", "target": "≤ 60 MB",
            "headline": [{"name": "", "value": 44.5, "unit": "MB", "baseline": None, "ratio": None}], "met": True,
            "recorded_by": "transcribed", "script": "npm run package", "measured_on": "2026-12-03",
            "measured_as": "linux-x64"}


def test_the_committed_readme_table_is_the_rendering_of_the_committed_results():
    readme = perf_table.README.read_text(encoding="utf-8")
    assert perf_table.BEGIN in readme and perf_table.END in readme
    rendered = perf_table.render(perf_table.load_results(perf_table.RESULTS))
    assert perf_table.replace_table(readme, rendered) == readme, "run .venv/bin/python bench/perf_table.py --write"


def test_every_committed_result_names_its_figures_and_how_it_was_measured():
    docs = perf_table.load_results(perf_table.RESULTS)
    assert docs, "bench/results/ holds no rows"
    for doc in docs:
        assert doc["schema"] == bench_record.SCHEMA and doc["headline"], doc["row"]
        assert doc["recorded_by"] in ("script", "transcribed"), doc["row"]
        if doc["recorded_by"] == "script":
            assert doc["build"]["commit"] and doc["machine"]["cpu"] and len(doc["load"]["before"]) == 3, doc["row"]
        else:
            assert doc["measured_on"][:4] == "2026" and doc["measured_as"], doc["row"]


def test_a_recorded_row_shows_its_figures_ratio_verdict_and_measurement():
    line = perf_table.row(recorded("summary"))
    assert line == ("| built-in summary (`bench/bench_summary.py`) | p95 ≤ 200 ms | p95 **32.0 ms** (baseline 40.0, "
                    "×0.80); met | 2026-12-05 01:02 UTC, EPYC 2 cores 23.5 GB, load 1.2 → 1.6, 4f9329d, baseline "
                    "ff5f638 (dirty) |")


def test_a_ratio_is_shown_only_between_two_positive_figures():
    assert bench_record.Figure("added", -1.5, "%", 2.0).as_json()["ratio"] is None
    assert bench_record.Figure("added", 1.5, "%", -2.0).as_json()["ratio"] is None
    assert bench_record.Figure("added", 3.0, "%", 2.0).as_json()["ratio"] == 1.5
    figure = {"name": "added", "value": -1.5, "unit": "%", "baseline": 2.0, "ratio": None}
    assert perf_table.figure(figure) == "added **-1.50 %** (baseline 2.00)"


def test_not_met_is_bold_and_a_row_without_target_has_no_verdict():
    assert "; **not met** |" in perf_table.row(recorded("summary", met=False))
    line = perf_table.row(recorded("hop", target="", met=None, baseline=None))
    assert "| p95 **32.0 ms** (baseline 40.0, ×0.80) |" in line and "baseline ff5f638" not in line


def test_a_transcribed_row_says_it_was_not_re_run_since_its_date():
    line = perf_table.row(transcribed("vsix-size"))
    assert "**44.5 MB**" in line
    assert "**not re-run since 2026-12-03** (transcribed; linux-x64; see docs/performance-history.md)" in line


def test_numbers_keep_three_significant_places_whole_numbers_none_and_pipes_are_escaped():
    assert [perf_table.number(v) for v in (3917.6, 123.4, 32.04, 32.0, 0.956, 30)] == [
        "3,918", "123", "32.0", "32.0", "0.96", "30"]
    assert "a \\| b" in perf_table.row(recorded("summary", what="a | b"))


def test_rows_follow_the_table_order_and_unknown_rows_come_last_by_name():
    docs = [recorded(row, what=row) for row in ("zeta", "summary", "extension-cell-to-tree", "alpha")]
    lines = perf_table.render(docs).splitlines()
    assert lines[0] == perf_table.BEGIN and lines[-1] == perf_table.END
    assert [line.split(" (`")[0][2:] for line in lines[3:-1]] == ["extension-cell-to-tree", "summary", "alpha", "zeta"]


def test_a_results_file_named_otherwise_than_its_row_is_refused(tmp_path):
    (tmp_path / "summary.json").write_text(json.dumps(recorded("analysis")))
    with pytest.raises(SystemExit, match="says it is row 'analysis'"):
        perf_table.load_results(tmp_path)
    (tmp_path / "summary.json").write_text("{not json")
    with pytest.raises(SystemExit, match="is not JSON"):
        perf_table.load_results(tmp_path)


def test_write_then_check(tmp_path, monkeypatch):
    results = tmp_path / "results"
    results.mkdir()
    (results / "summary.json").write_text(json.dumps(recorded("summary")))
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\nintro\n\n{perf_table.BEGIN}\nold table\n{perf_table.END}\n\nafter\n")
    monkeypatch.setattr(perf_table, "RESULTS", results)
    monkeypatch.setattr(perf_table, "README", readme)
    assert perf_table.main(["--check"]) == 1
    assert perf_table.main(["--write"]) == 0
    text = readme.read_text()
    assert text.startswith("# x\n\nintro\n\n") and text.endswith("\n\nafter\n") and "old table" not in text
    assert "p95 **32.0 ms**" in text
    assert perf_table.main(["--check"]) == 0


def test_missing_markers_are_one_clear_line():
    with pytest.raises(SystemExit, match="has no .* markers; nothing written"):
        perf_table.replace_table("# README without a table\n", "table")


def test_a_recording_writes_one_file_per_row_with_how_it_was_measured(tmp_path):
    recording = bench_record.Recording("bench/bench_summary.py", ["bench/bench_summary.py", "--record"],
                                       baseline_python=sys.executable)
    recording.add(bench_record.Row("summary", "built-in summary", "p95 ≤ 200 ms",
                                   [bench_record.Figure("p95", 32.04444, "ms", 40.0)], True, {"n": 30}))
    recording.add(bench_record.Row("other", "another row", "", [bench_record.Figure("p50", 1.0, "ms")], None))
    written = recording.write(tmp_path)
    assert [p.name for p in written] == ["summary.json", "other.json"]
    doc = json.loads((tmp_path / "summary.json").read_text())
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert doc["build"]["commit"] == head and doc["build"]["dirty"] in (True, False)
    assert doc["headline"] == [{"name": "p95", "value": 32.044, "unit": "ms", "baseline": 40.0, "ratio": 0.801}]
    assert doc["command"] == "bench/bench_summary.py --record" and doc["recorded_by"] == "script"
    assert doc["machine"]["cores"] >= 1 and doc["machine"]["ram_gb"] > 0 and doc["machine"]["kernel"]
    assert doc["baseline"]["python"] == sys.executable and doc["baseline"]["python_version"]
    assert doc["measured_at"].endswith("Z") and len(doc["load"]["after"]) == 3
    assert "summary" in perf_table.render([doc])


def test_a_node_benchmark_records_through_stdin(tmp_path, monkeypatch):
    payload = {"script": "bench/bench_graph.mjs", "argv": ["bench/bench_graph.mjs", "--record"],
               "baseline": None, "load_before": [2.5, 2.0, 1.5], "machine": {"node": "v20.0.0"},
               "started_at": "2026-12-05T00:49:09.123Z",
               "results": str(tmp_path),
               "rows": [{"row": "graph-webview", "what": "graph", "target": "500 nodes ≤ 1 s",
                         "headline": [{"name": "500 nodes", "value": 295.0, "unit": "ms"}], "met": True}]}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    monkeypatch.setattr(sys, "argv", ["bench_record.py", "--stdin"])
    assert bench_record.main() == 0
    doc = json.loads((tmp_path / "graph-webview.json").read_text())
    assert doc["load"]["before"] == [2.5, 2.0, 1.5] and doc["machine"]["node"] == "v20.0.0"
    assert doc["measured_at"] == "2026-12-05T00:49:09Z" and doc["finished_at"] > doc["measured_at"]
    assert doc["baseline"] is None and doc["headline"][0]["value"] == 295.0


def test_rows_on_stdin_that_are_not_json_lose_nothing_and_say_so(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("{broken"))
    monkeypatch.setattr(sys, "argv", ["bench_record.py", "--stdin"])
    assert bench_record.main() == 2
    assert "not JSON" in capsys.readouterr().err


def test_an_interval_is_shown_after_its_figure():
    figure = {"name": "nb wall", "value": 1.5, "unit": "%", "baseline": 2.0, "ratio": 0.75, "interval": [-0.4, 3.2]}
    assert perf_table.figure(figure) == "nb wall **1.50 %** [95 % -0.40 to 3.20] (baseline 2.00, ×0.75)"
