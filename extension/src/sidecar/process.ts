// The sidecar process, started for the LanguageClient: we spawn it ourselves so that how it ended (exit
// code) and the last lines it wrote on stderr are known when it stops. A sidecar that cannot use its
// database exits 2 or 3 with one `trackit: ...` line; telling that apart from a crash is what stops a
// crash loop (databaseProblem.ts decides; client.ts acts).
import { ChildProcess, spawn, SpawnOptions } from "node:child_process";

export interface SidecarExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines written to stderr (the log goes there too; the sidecar's own verdict is last). */
  lastLines: string[];
}

const KEPT_LINES = 20;

export class SidecarProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (also when it could not be started). */
  readonly exited: Promise<SidecarExit>;
  private readonly tail: string[] = [];
  private partial = "";

  constructor(command: string, args: string[], options: SpawnOptions, onStderr: (text: string) => void) {
    this.child = spawn(command, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (text: string) => {
      onStderr(text);
      this.keep(text);
    });
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.partial.trim()) this.tail.push(this.partial.trimEnd());
        this.partial = "";
        resolve({ code, signal, lastLines: this.tail.slice(-KEPT_LINES) });
      };
      this.child.once("exit", done);
      this.child.once("error", () => done(null, null));
    });
  }

  /** The exit, or undefined if the process is still running after `ms`. */
  async exitWithin(ms: number): Promise<SidecarExit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Ends a process that did not stop when asked. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private keep(text: string): void {
    const lines = (this.partial + text).split(/\r?\n/);
    this.partial = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) this.tail.push(line);
    if (this.tail.length > KEPT_LINES) this.tail.splice(0, this.tail.length - KEPT_LINES);
  }
}
