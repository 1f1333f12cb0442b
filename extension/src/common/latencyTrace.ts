// Bench-only timestamps of a run's way through the extension (bench/bench_extension.mjs reads them, with the
// sidecar's: trackit_sidecar/latency_trace.py). Off unless TRACKIT_LATENCY_TRACE names a folder: then
// `extension.trace` in it gets one line per mark, `<phase> <key> <epoch ms>`. Nothing is written when it is off.
import * as fs from "node:fs";
import * as path from "node:path";

const folder = process.env.TRACKIT_LATENCY_TRACE;
let fd: number | undefined;

export const TRACE_ON = Boolean(folder);

/** Call as `if (TRACE_ON) traceMark(...)`: the phase reached, now. */
export function traceMark(phase: string, key: string): void {
  if (!folder) return;
  if (fd === undefined) {
    fs.mkdirSync(folder, { recursive: true });
    fd = fs.openSync(path.join(folder, "extension.trace"), "a");
  }
  fs.writeSync(fd, `${phase} ${key} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
}
