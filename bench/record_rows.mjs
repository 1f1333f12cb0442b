// `--record` for the node benchmarks: their README table rows go, as JSON on stdin, to bench/bench_record.py, the one
// writer of bench/results/<row>.json (it adds the commits, the time, the load after and the machine). The load before
// and the start time are taken when a benchmark imports this module, as it starts.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const RECORDING = process.argv.includes("--record");
const LOAD_BEFORE = os.loadavg();
const STARTED_AT = new Date().toISOString();

/** rows: [{row, what, target, headline: [{name, value, unit, baseline?}], met, figures?}] (bench_record.Row). */
export function recordRows(script, rows, { baseline = null, machine = {} } = {}) {
  const payload = {
    script, argv: [script, ...process.argv.slice(2)], started_at: STARTED_AT, load_before: LOAD_BEFORE, baseline,
    machine: { node: process.version, ...machine }, rows,
  };
  process.stdout.write(execFileSync(path.join(REPO, ".venv", "bin", "python"), [path.join(REPO, "bench", "bench_record.py"), "--stdin"],
    { input: JSON.stringify(payload) }));
}

/** Where a benchmark keeps its raw figures (not a table row: bench/perf_table.py reads bench/results/*.json only). */
export function rawResultsDir() {
  const dir = path.join(REPO, "bench", "results", "raw");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
