// The sidecar's stderr into the TrackIT log at the level each line was logged at. Appended as raw text, a
// LogOutputChannel writes it at [info]: a sidecar WARNING or ERROR read "[info] WARNING ...". The sidecar writes "LEVEL logger: message" (no timestamp: the
// channel adds the one timestamp per line).
import type * as vscode from "vscode";

export type LineLevel = "error" | "warn" | "info" | "debug";

const LEVELS: Record<string, LineLevel> = { CRITICAL: "error", ERROR: "error", WARNING: "warn", INFO: "info", DEBUG: "debug" };

/** Pure: a stderr line's level and its text without the level word ("info" for lines that carry none, e.g. a
 * traceback's continuation). */
export function lineLevel(line: string): { level: LineLevel; text: string } {
  const m = /^(CRITICAL|ERROR|WARNING|INFO|DEBUG) (.*)$/s.exec(line);
  return m ? { level: LEVELS[m[1]], text: m[2] } : { level: "info", text: line };
}

/** Pure: complete lines out of chunks of text (`rest` keeps a line not yet ended). */
export function splitLines(rest: string, chunk: string): { lines: string[]; rest: string } {
  const parts = (rest + chunk).split(/\r?\n/);
  return { lines: parts.slice(0, -1).filter((l) => l.length > 0), rest: parts[parts.length - 1] };
}

/** The log itself, with append/appendLine levelled per line (client.ts gives it the sidecar's stderr). */
export function levelledChannel(log: vscode.LogOutputChannel): vscode.LogOutputChannel {
  let rest = "";
  const write = (lines: string[]) => {
    for (const line of lines) {
      const { level, text } = lineLevel(line);
      log[level](text);
    }
  };
  return new Proxy(log, {
    get(target, property, receiver) {
      if (property === "append") {
        return (chunk: string) => {
          const split = splitLines(rest, chunk);
          rest = split.rest;
          write(split.lines);
        };
      }
      if (property === "appendLine") {
        return (line: string) => {
          const split = splitLines(rest, `${line}\n`);
          rest = split.rest;
          write(split.lines);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
