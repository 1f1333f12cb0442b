"""Built-in summary latency on a synthetic 500-execution session (target: p95 <= 200 ms).

Also reports the faithfulness check and prompt building on the same session, since the service
runs them on every LLM summary.

    .venv/bin/python bench/bench_summary.py [--executions 500] [--repeats 30] [--record]

--record also writes bench/results/summary.json (bench/bench_record.py) for the README table.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time

from bench_record import Figure, Recording, Row

from trackit_sidecar.protocol import (
    ErrorInfo,
    ExecutionRecord,
    InputFile,
    LineageDocument,
    OutputInfo,
    RuntimeFacts,
    SessionInfo,
    Step,
)
from trackit_sidecar.summarize import builtin_summary, check_faithfulness
from trackit_sidecar.summarize.prompt import plan_prompt

OPS = ["filter_rows", "drop_missing", "impute_missing", "encode_categorical", "derive_feature", "join",
       "aggregate", "sort", "type_cast", "fit_model", "predict", "evaluate"]
TARGET_MS = 200.0


def synthetic_session(n: int, seed: int = 1) -> LineageDocument:
    """n executions over 60 cells: re-runs, out-of-order jumps, a few errors, runtime facts on every step."""
    rng = random.Random(seed)
    executions = []
    rows = 1_000_000
    for i in range(n):
        cell = i % 60 if rng.random() > 0.1 else rng.randrange(60)
        op = OPS[i % len(OPS)]
        before, rows = rows, max(100, rows - rng.randint(0, 500))
        facts = RuntimeFacts(variable="df", kind="DataFrame", rows_before=before, rows_after=rows,
                             cols_before=30, cols_after=30 + i % 4, added_columns=[f"f{i}_{k}" for k in range(i % 4)])
        steps = [Step(op=op, inputs=["df", f"t{i % 7}"], output="df", columns=[f"col_{i % 23}"], detail="key",
                      runtime=facts)]
        if i % 50 == 0:
            steps.insert(0, Step(op="load", output=f"t{i % 7}", detail=f"data/part_{i}.parquet",
                                 input_file=InputFile(path=f"data/part_{i}.parquet", size=rng.randint(10**5, 10**8),
                                                      sha256=hashlib.sha256(str(i).encode()).hexdigest())))
        error = ErrorInfo(name="KeyError", message=f"'col_{i}'") if i % 97 == 5 else None
        source = f"df = transform_{i}(df, t{i % 7})\n" * 3
        outputs = [OutputInfo(output_type="stream", mime="text/plain", size=14, sha256="0" * 64,
                              text=f"accuracy 0.{rng.randint(10, 99)}\n")] if op == "evaluate" else []
        executions.append(ExecutionRecord(
            seq=i + 1, session=1, cell_id=f"c{cell}", cell_index=cell, execution_count=i + 1,
            status="error" if error else "ok", started_at=f"2026-11-29T10:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
            ended_at=f"2026-11-29T10:{i // 60 % 60:02d}:{i % 60:02d}+00:00", duration_ms=float(rng.randint(3, 900)),
            source=source, source_sha256=hashlib.sha256(source.encode()).hexdigest(),
            reads=["df", f"t{i % 7}"], writes=["df", f"v{i % 40}"], parents=[i] if i else [],
            steps=steps, outputs=outputs, error=error,
        ))
    return LineageDocument(notebook="bench.ipynb", notebook_uri="file:///bench.ipynb",
                           sessions=[SessionInfo(id=1, started_at=executions[0].started_at, executions=n)],
                           executions=executions)


def measure(fn, repeats: int) -> tuple[float, float]:
    fn()  # warm-up: imports, regex compilation
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--record", action="store_true", help="write bench/results/summary.json")
    args = parser.parse_args()
    recording = Recording("bench/bench_summary.py", sys.argv) if args.record else None

    doc = synthetic_session(args.executions)
    markdown = builtin_summary(doc)
    steps = sum(len(r.steps) for r in doc.executions)
    print(f"synthetic session: {args.executions} executions, {steps} steps; summary {len(markdown):,} chars")
    summary_p50, summary_p95 = measure(lambda: builtin_summary(doc), args.repeats)
    verdict = "OK" if summary_p95 <= TARGET_MS else "OVER TARGET"
    print(f"builtin_summary      p50 {summary_p50:7.1f} ms   p95 {summary_p95:7.1f} ms   "
          f"(target p95 <= {TARGET_MS:.0f} ms: {verdict})")
    check_p50, check_p95 = measure(lambda: check_faithfulness(markdown, doc), args.repeats)
    print(f"faithfulness.check   p50 {check_p50:7.1f} ms   p95 {check_p95:7.1f} ms")
    prompt_p50, prompt_p95 = measure(lambda: plan_prompt(doc), max(5, args.repeats // 3))
    print(f"plan_prompt (redact) p50 {prompt_p50:7.1f} ms   p95 {prompt_p95:7.1f} ms")
    problems = check_faithfulness(markdown, doc)
    print(f"built-in summary faithfulness problems: {len(problems)}")
    if recording:
        recording.add(Row(
            "summary", f"built-in summary of a {args.executions}-execution session", f"p95 ≤ {TARGET_MS:.0f} ms",
            [Figure("p50", summary_p50, "ms"), Figure("p95", summary_p95, "ms")], summary_p95 <= TARGET_MS,
            {"repeats": args.repeats, "steps": steps, "faithfulness_check_ms": {"p50": check_p50, "p95": check_p95},
             "plan_prompt_ms": {"p50": prompt_p50, "p95": prompt_p95}, "faithfulness_problems": len(problems)}))
        recording.write()


if __name__ == "__main__":
    main()
