// "Repair database": shown with a database problem (the sidecar stopped on it, or reported it while
// running). Runs `trackit doctor --repair` with the same sidecar program on the same database file, while
// the sidecar is stopped (the repair needs the file to itself), tells the user what the doctor said, and
// starts the sidecar again when the repair worked.
import { spawn } from "node:child_process";
import type { DatabaseProblem } from "../sidecar/databaseProblem";
import type { Resolution, SidecarCommand } from "../sidecar/resolve";

export const REPAIR_ACTION = "Repair database";
export const SHOW_LOGS_ACTION = "Show logs";

export interface DoctorRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RepairDeps {
  sidecar: { stop(): Promise<void>; restart(): Promise<void> };
  resolveCommand: () => Promise<Resolution>;
  run: (command: string, args: string[]) => Promise<DoctorRun>;
  log: { info(message: string): void; error(message: string): void; show(): void };
  showError: (message: string, ...actions: string[]) => Thenable<string | undefined>;
  showInfo: (message: string, ...actions: string[]) => Thenable<string | undefined>;
}

/** The sidecar's `... serve --db PATH` command line as `... doctor --repair --db PATH`. */
export function doctorInvocation(sidecar: SidecarCommand): { command: string; args: string[] } {
  const serve = sidecar.args.lastIndexOf("serve");
  if (serve < 0) throw new Error(`not a sidecar serve command: ${sidecar.command} ${sidecar.args.join(" ")}`);
  return { command: sidecar.command, args: [...sidecar.args.slice(0, serve), "doctor", "--repair", ...sidecar.args.slice(serve + 1)] };
}

/** The notification: the sidecar's one line, with the repair one click away. */
export async function offerRepair(problem: DatabaseProblem, deps: RepairDeps): Promise<void> {
  const choice = await deps.showError(`TrackIT: ${problem.message}`, REPAIR_ACTION, SHOW_LOGS_ACTION);
  if (choice === REPAIR_ACTION) await repairDatabase(deps);
  else if (choice === SHOW_LOGS_ACTION) deps.log.show();
}

export async function repairDatabase(deps: RepairDeps): Promise<void> {
  const resolution = await deps.resolveCommand();
  if (!resolution.ok) {
    await deps.showError(resolution.message, SHOW_LOGS_ACTION);
    return;
  }
  const { command, args } = doctorInvocation(resolution.value);
  await deps.sidecar.stop();
  deps.log.info(`repairing the database: ${command} ${args.join(" ")}`);
  const result = await deps.run(command, args);
  const said = (result.stdout.trim() || result.stderr.trim()).split(/\r?\n/).filter(Boolean);
  const verdict = said.find((line) => line.startsWith("trackit: "))?.slice("trackit: ".length) ?? said.join(" ");
  if (result.code === 0) {
    deps.log.info(`doctor: ${said.join(" | ")}`);
    await deps.sidecar.restart();
    void deps.showInfo(`TrackIT: ${verdict}`);
    return;
  }
  // Not repaired (held by another window, a folder that cannot be written, a newer TrackIT): say why.
  deps.log.error(`doctor exited ${result.code}: ${[...said, result.stderr.trim()].join(" | ")}`);
  const choice = await deps.showError(`TrackIT: the database was not repaired: ${verdict}`, "Restart sidecar", SHOW_LOGS_ACTION);
  if (choice === "Restart sidecar") await deps.sidecar.restart();
  else if (choice === SHOW_LOGS_ACTION) deps.log.show();
}

/** Runs a program to completion, collecting its output (the doctor prints a few lines). */
export function nodeRun(command: string, args: string[]): Promise<DoctorRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", (error) => resolve({ code: null, stdout, stderr: `${stderr}${String(error)}` }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
