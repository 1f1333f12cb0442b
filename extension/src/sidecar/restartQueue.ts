// Pure: restart policy for the sidecar.
// SingleFlight: one restart at a time; requests arriving during a restart collapse into at most one
// queued restart (ruff-vscode style), because a restart already in flight may predate the change
// (e.g. a new setting) that prompted the request.
// CrashPolicy: automatic restart after a crash with exponential backoff, giving up after too many
// crashes in a short window so a broken sidecar does not restart forever.

export class SingleFlight {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly task: () => Promise<void>) {}

  /** Resolves when a run that started at or after this call has finished. */
  request(): Promise<void> {
    if (!this.running) {
      this.running = this.start();
      return this.running;
    }
    if (!this.queued) {
      const previous = this.running;
      this.queued = previous.then(
        () => this.promoteQueued(),
        () => this.promoteQueued(),
      );
    }
    return this.queued;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }
  get hasQueued(): boolean {
    return this.queued !== undefined;
  }

  private promoteQueued(): Promise<void> {
    this.queued = undefined;
    this.running = this.start();
    return this.running;
  }

  private start(): Promise<void> {
    const run = (async () => {
      await this.task();
    })();
    const settle = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(settle, settle);
    return run;
  }
}

export type CrashDecision = { action: "restart"; delayMs: number; crashesInWindow: number } | { action: "giveUp"; crashesInWindow: number };

export interface CrashPolicyOptions {
  maxCrashes: number; // give up at this many crashes within windowMs
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_CRASH_POLICY: CrashPolicyOptions = { maxCrashes: 5, windowMs: 3 * 60_000, baseDelayMs: 500, maxDelayMs: 10_000 };

export class CrashPolicy {
  private crashes: number[] = [];
  constructor(private readonly options: CrashPolicyOptions = DEFAULT_CRASH_POLICY) {}

  recordCrash(now: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    const n = this.crashes.length;
    if (n >= this.options.maxCrashes) return { action: "giveUp", crashesInWindow: n };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (n - 1));
    return { action: "restart", delayMs, crashesInWindow: n };
  }

  /** A manual restart (command, settings change) starts the count afresh. */
  reset(): void {
    this.crashes = [];
  }
}
