// Pure: when the sidecar's trouble is its database (damaged, read-only, too new, held) rather than a crash.
// A sidecar that cannot use its database exits with code 2 or 3 and one last stderr line `trackit: <what
// and what to do>`; a running one sends trackit/databaseError. Either way the user gets that line with a
// "Repair database" action, and the sidecar is not restarted in a loop.
import type { DatabaseError } from "./protocol";
import type { SidecarExit } from "./process";

export interface DatabaseProblem {
  message: string;
}

const VERDICT = "trackit: ";
const DATABASE_EXIT_CODES = new Set([2, 3]);

export function problemFromExit(exit: SidecarExit | undefined): DatabaseProblem | undefined {
  if (!exit || exit.code === null || !DATABASE_EXIT_CODES.has(exit.code)) return undefined;
  const verdict = [...exit.lastLines].reverse().find((line) => line.startsWith(VERDICT));
  return verdict ? { message: verdict.slice(VERDICT.length).trim() } : undefined;
}

export function problemFromNotification(params: DatabaseError): DatabaseProblem {
  return { message: params.message };
}
