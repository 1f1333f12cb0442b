// The sidecar's LanguageClient (stdio) and its lifecycle: single-flight restarts, automatic restart
// after a crash with backoff, giving up after too many crashes. Every start creates a fresh
// LanguageClient; its listeners are disposed with it.
import type * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";
import { NotificationRegistry, SERVER_NOTIFICATIONS } from "./notifications";
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
  crashPolicy?: CrashPolicyOptions;
}

const STOP_TIMEOUT_MS = 3000;

export class SidecarClient {
  private client: LanguageClient | undefined;
  private clientDisposables: { dispose(): unknown }[] = [];
  private generation = 0;
  private stopping = false;
  private disposed = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly queue = new SingleFlight(() => this.doRestart());
  private readonly crashes: CrashPolicy;
  private currentState: SidecarState = "stopped";
  // A client that dies while starting reports both a closed connection and a failed start: count it once.
  private readonly crashCounted = new WeakSet<LanguageClient>();

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
    const serverOptions: ServerOptions = {
      command,
      args,
      // No `transport`: TransportKind.stdio would append "--stdio" to the contract's command line;
      // without it the client still talks over the child's stdin/stdout.
      // TRACKIT_LOG_FILE and the rest of the host's environment pass through unchanged.
      options: { env: { ...process.env } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: "vscode-notebook-cell", language: "python" }],
      outputChannel: this.deps.log,
      initializationOptions: { protocol_version: PROTOCOL_VERSION },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          this.onConnectionClosed(client);
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };
    let client: LanguageClient;
    try {
      client = new LanguageClient("trackit", "TrackIT sidecar", serverOptions, clientOptions);
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
        this.handleCrash(`failed to start: ${String(error)}`);
      }
      return;
    }
    if (this.client !== client) return; // superseded while starting
    this.generation += 1;
    this.setState("running");
    this.deps.onReady(this.generation);
  }

  private onConnectionClosed(client: LanguageClient): void {
    // A close we caused (stop/restart) or of a client already replaced is not a crash.
    if (this.stopping || this.disposed || this.client !== client || this.crashCounted.has(client)) return;
    this.crashCounted.add(client);
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    this.handleCrash("the sidecar process exited");
  }

  private handleCrash(reason: string): void {
    if (this.disposed) return;
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
