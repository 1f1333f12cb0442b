// The one module that imports vscode-languageclient (with vscode-jsonrpc, the protocol types, semver,
// minimatch: ~740 KB of the ~1 MB bundle). It is built as its own file (dist/sidecarConnection.js,
// scripts/bundle.mjs) and loaded by client.ts when the first sidecar starts, after activate() has
// returned: VS Code counts the loading of the entry bundle in the extension's activation time.
import type * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

/** The LanguageClient, minus what gets in the way of telling the user one clear thing.
 * - It reports its own failures in pop-ups ("couldn't create connection to server", "Server initialization
 *   failed"); SidecarClient says what happened instead (a crash, or the database's one line), so they go to
 *   the log only.
 * - vscode-languageclient 9, when the server exits while `initialize` is pending (a sidecar that cannot open
 *   its database exits at once), drops its start promise before rejecting it, and the failed start calls
 *   `void this.stop()`, which rejects too: both would be unhandled rejections; they are listened to here. */
class SidecarLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | "force"): void {
    super.error(message, data, false);
  }

  protected override async handleConnectionClosed(): Promise<void> {
    if (this.state === State.Starting) this.start().catch(() => undefined); // the pending start, not a new one
    return super.handleConnectionClosed();
  }

  override stop(timeout?: number): Promise<void> {
    const starting = this.state === State.Starting;
    const stopping = super.stop(timeout);
    if (starting) stopping.catch(() => undefined);
    return stopping;
  }
}

/** What SidecarClient uses of a started LanguageClient. */
export interface SidecarConnection {
  start(): Promise<void>;
  stop(timeout?: number): Promise<void>;
  dispose(timeout?: number): Promise<void>;
  sendNotification(method: string, params: unknown): Promise<void>;
  sendRequest<R>(method: string, params: unknown): Promise<R>;
  onNotification(method: string, handler: (params: unknown) => void): { dispose(): unknown };
}

export interface ConnectionOptions {
  /** Starts the sidecar process; the client talks over its stdin/stdout. */
  spawn: ServerOptions;
  outputChannel: vscode.OutputChannel;
  initializationOptions: unknown;
  middleware?: LanguageClientOptions["middleware"];
  /** The connection closed (the process exited or was stopped). */
  onClosed: () => void;
}

export function createSidecarConnection(options: ConnectionOptions): SidecarConnection {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "vscode-notebook-cell", language: "python" }],
    outputChannel: options.outputChannel,
    initializationOptions: options.initializationOptions,
    initializationFailedHandler: () => false, // no pop-up of its own: SidecarClient reports the failure
    middleware: options.middleware,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => {
        options.onClosed();
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  return new SidecarLanguageClient("trackit", "TrackIT sidecar", options.spawn, clientOptions);
}
