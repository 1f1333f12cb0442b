// The sidecar's LanguageClient (stdio) and its lifecycle: single-flight restarts, automatic restart
// after a crash with backoff, giving up after too many crashes. Every start creates a fresh
// LanguageClient (and sidecar process, process.ts); its listeners are disposed with it. A sidecar that
// stopped because of its database (databaseProblem.ts) is not restarted: the user is told instead.
import type * as vscode from "vscode";
import type { LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import type { SidecarConnection } from "./connection";
import { DatabaseProblem, problemFromExit } from "./databaseProblem";
import { levelledChannel } from "./stderrLog";
import { NotificationRegistry, SERVER_NOTIFICATIONS } from "./notifications";
import { SidecarProcess } from "./process";
import { PROTOCOL_VERSION } from "./protocol";
import { CrashPolicy, CrashPolicyOptions, DEFAULT_CRASH_POLICY, SingleFlight } from "./restartQueue";
import type { Resolution } from "./resolve";

export type SidecarState = "stopped" | "starting" | "running" | "failed";

export interface SidecarClientDeps {
  log: vscode.LogOutputChannel;
  registry: NotificationRegistry;
  resolveCommand: () => Promise<Resolution>;
  onStateChange: (state: SidecarState, detail?: string) => void;
  /** Called after every successful start with a new generation number (re-send buffer). */
  onReady: (generation: number) => void;
  showError: (message: string, ...actions: string[]) => Thenable<string | undefined>;
  onErrorAction: (action: string) => void;
  /** The sidecar stopped because of its database: show it, offer the repair; it is not restarted. */
  onDatabaseProblem: (problem: DatabaseProblem) => void;
  crashPolicy?: CrashPolicyOptions;
  /** The language client's middleware (the hover's action links). */
  middleware?: LanguageClientOptions["middleware"];
}

/** The language client's module, loaded on the first start rather than with the extension: it is most of
 * the bundle's size, and its loading would count in VS Code's activation time (scripts/bundle.mjs builds it
 * as dist/sidecarConnection.js). Events arriving before it is up wait in the tracker's resend buffer. */
// require, not import(): a CommonJS require goes through the extension host's module loader, as the entry did.
const loadConnection = (): typeof import("./connection") => require("./connection");

const STOP_TIMEOUT_MS = 3000;
const EXIT_WAIT_MS = 2000; // a closed connection is followed by the exit within this

export class SidecarClient {
  private client: SidecarConnection | undefined;
  private process: SidecarProcess | undefined;
  private clientDisposables: { dispose(): unknown }[] = [];
  private generation = 0;
  private stopping = false;
  private disposed = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly queue = new SingleFlight(() => this.doRestart());
  private readonly crashes: CrashPolicy;
  private currentState: SidecarState = "stopped";
  // A client that dies while starting reports both a closed connection and a failed start: count it once.
  private readonly crashCounted = new WeakSet<SidecarConnection>();

  constructor(private readonly deps: SidecarClientDeps) {
    this.crashes = new CrashPolicy(deps.crashPolicy ?? DEFAULT_CRASH_POLICY);
  }

  get state(): SidecarState {
    return this.currentState;
  }

  /** Manual (re)start: command, settings change, first start. Resets the crash count. */
  restart(): Promise<void> {
    this.crashes.reset();
    this.clearRestartTimer();
    return this.queue.request();
  }

  isRunning(): boolean {
    return this.currentState === "running" && this.client !== undefined;
  }

  /** Fire-and-forget notification; false when the sidecar is not running (the caller keeps the data). */
  notify(method: string, params: unknown): boolean {
    const client = this.client;
    if (!client || this.currentState !== "running") return false;
    client.sendNotification(method, params).catch((error: unknown) => {
      this.deps.log.warn(`sending ${method} failed: ${String(error)}`);
    });
    return true;
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    if (this.currentState === "starting") await this.queue.request().catch(() => undefined);
    const client = this.client;
    if (!client || this.currentState !== "running") {
      throw new Error("The TrackIT sidecar is not running. Run \"TrackIT: Show logs\" to see why, or \"TrackIT: Restart sidecar\".");
    }
    return client.sendRequest<R>(method, params);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearRestartTimer();
    await this.stopClient();
    this.setState("stopped");
  }

  /** Stop the sidecar until the next restart() (the database repair needs the file to itself). */
  async stop(): Promise<void> {
    this.clearRestartTimer();
    await this.stopClient();
    this.setState("stopped");
  }

  private setState(state: SidecarState, detail?: string): void {
    this.currentState = state;
    this.deps.onStateChange(state, detail);
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    const proc = this.process;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    if (!client) return;
    this.stopping = true;
    try {
      await client.stop(STOP_TIMEOUT_MS);
    } catch (error) {
      this.deps.log.warn(`stopping the sidecar: ${String(error)}`);
    } finally {
      this.stopping = false;
    }
    // it stores what it holds and exits within 2 s of its stdin closing; one that does not is ended
    if (proc && !(await proc.exitWithin(STOP_TIMEOUT_MS))) proc.kill();
  }

  private async doRestart(): Promise<void> {
    if (this.disposed) return;
    this.setState("starting");
    await this.stopClient();
    const resolution = await this.deps.resolveCommand();
    if (!resolution.ok) {
      this.deps.log.error(resolution.message);
      this.setState("failed", resolution.message);
      void this.deps.showError(resolution.message, "Show logs").then((a) => a && this.deps.onErrorAction(a));
      return;
    }
    const { command, args, description } = resolution.value;
    this.deps.log.info(`starting sidecar: ${description}: ${command} ${args.join(" ")}`);
    let proc: SidecarProcess | undefined;
    // We start the process (the client talks over its stdin/stdout) to learn how it ended and what it said
    // last. TRACKIT_LOG_FILE and the rest of the host's environment pass through unchanged.
    const serverOptions: ServerOptions = async () => {
      // the language client appends this child's stderr to its output channel (levelled below): not here too
      proc = new SidecarProcess(command, args, { env: { ...process.env } }, () => undefined);
      this.process = proc;
      return proc.child;
    };
    let client: SidecarConnection;
    try {
      const { createSidecarConnection } = loadConnection();
      client = createSidecarConnection({
        spawn: serverOptions,
        outputChannel: levelledChannel(this.deps.log), // each stderr line at the level the sidecar logged it
        initializationOptions: { protocol_version: PROTOCOL_VERSION },
        middleware: this.deps.middleware,
        onClosed: () => this.onConnectionClosed(client),
      });
    } catch (error) {
      const message = `TrackIT: could not create the sidecar client: ${String(error)}`;
      this.deps.log.error(message);
      this.setState("failed", message);
      return;
    }
    this.client = client;
    for (const method of SERVER_NOTIFICATIONS) {
      this.clientDisposables.push(client.onNotification(method, (params: unknown) => this.deps.registry.dispatch(method, params)));
    }
    try {
      await client.start();
    } catch (error) {
      this.deps.log.error(`sidecar failed to start: ${String(error)}`);
      if (this.client === client) this.client = undefined;
      for (const d of this.clientDisposables.splice(0)) d.dispose();
      try {
        await client.dispose(STOP_TIMEOUT_MS);
      } catch {
        // already dead; nothing to release
      }
      if (!this.crashCounted.has(client)) {
        this.crashCounted.add(client);
        await this.handleCrash(`failed to start: ${String(error)}`, proc);
      }
      return;
    }
    if (this.client !== client) return; // superseded while starting
    this.generation += 1;
    this.setState("running");
    this.deps.onReady(this.generation);
  }

  private onConnectionClosed(client: SidecarConnection): void {
    // A close we caused (stop/restart) or of a client already replaced is not a crash.
    if (this.stopping || this.disposed || this.client !== client || this.crashCounted.has(client)) return;
    this.crashCounted.add(client);
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    void this.handleCrash("the sidecar process exited", this.process);
  }

  private async handleCrash(reason: string, proc: SidecarProcess | undefined): Promise<void> {
    if (this.disposed) return;
    const problem = problemFromExit(await proc?.exitWithin(EXIT_WAIT_MS));
    if (problem) {
      // Restarting cannot help: the same database would stop it again. Say why, once.
      this.deps.log.error(`the sidecar stopped: ${problem.message}`);
      this.setState("failed", problem.message);
      this.deps.onDatabaseProblem(problem);
      return;
    }
    const decision = this.crashes.recordCrash(Date.now());
    if (decision.action === "giveUp") {
      const message = `TrackIT: the sidecar stopped ${decision.crashesInWindow} times in a few minutes (${reason}); it will not be restarted automatically.`;
      this.deps.log.error(message);
      this.setState("failed", message);
      void this.deps.showError(message, "Show logs", "Restart").then((a) => a && this.deps.onErrorAction(a));
      return;
    }
    this.deps.log.warn(`sidecar ${reason}; restarting in ${decision.delayMs} ms (crash ${decision.crashesInWindow})`);
    this.setState("starting", reason);
    this.clearRestartTimer();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.queue.request();
    }, decision.delayMs);
  }
}
