// Which kernel runs each notebook, as whatever runs its cells told TrackIT through the
// `trackit.notebookKernel` command. The sidecar attaches to a kernel only with such evidence (or, for the
// Jupyter extension's kernels, the kernel's own statement of its notebook): this registry validates what
// a controller sends, keeps the latest announcement per notebook (re-sent after every sidecar start), and
// names the kernel on every execution record. No `vscode` import: extension.ts wires the command.
import type { NotebookKernel } from "../sidecar/protocol";

/** What a notebook controller passes to `trackit.notebookKernel` (camelCase, as extension APIs are). */
export interface KernelAnnouncement {
  /** The notebook: a vscode.Uri or its string form. */
  notebook: unknown;
  /** The kernel's connection file (absolute path). Either this or kernelId is required. */
  connectionFile?: string;
  /** The kernel's id; with no connection file, the sidecar looks for kernel-<id>.json in Jupyter's runtime dir. */
  kernelId?: string;
  /** The kernelspec that runs the notebook, e.g. "python3", and its display name. */
  kernelName?: string;
  displayName?: string;
  /** The kernel's language, e.g. "python". */
  language?: string;
}

export interface UriLike {
  toString(): string;
  readonly scheme: string;
  readonly fsPath: string;
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length === 0 || value.length > 4096) throw new Error(`${name} must be a non-empty string`);
  return value;
}

/**
 * Pure: a controller's announcement -> the wire message. Throws an Error saying what is wrong; the
 * command's callers are other extensions, so the message is for their developers.
 */
export function toNotebookKernel(arg: unknown, parseUri: (text: string) => UriLike): NotebookKernel {
  if (!arg || typeof arg !== "object") throw new Error("expected { notebook, connectionFile | kernelId, ... }");
  const a = arg as KernelAnnouncement;
  let uri: UriLike;
  if (typeof a.notebook === "string" && a.notebook.length > 0) uri = parseUri(a.notebook);
  else if (a.notebook && typeof (a.notebook as UriLike).scheme === "string") uri = a.notebook as UriLike;
  else throw new Error("notebook must be the notebook's Uri");
  const connectionFile = optionalString(a.connectionFile, "connectionFile");
  const kernelId = optionalString(a.kernelId, "kernelId");
  if (!connectionFile && !kernelId) throw new Error("connectionFile or kernelId is required");
  return {
    notebook_uri: uri.toString(),
    notebook_path: uri.scheme === "file" ? uri.fsPath : null,
    connection_file: connectionFile,
    kernel_id: kernelId,
    kernel_name: optionalString(a.kernelName, "kernelName"),
    kernel_display_name: optionalString(a.displayName, "displayName"),
    language: optionalString(a.language, "language"),
  };
}

export class NotebookKernelRegistry {
  private readonly byNotebook = new Map<string, NotebookKernel>();

  /** Remember the notebook's kernel (the latest announcement wins: a restart or a kernel switch). */
  set(kernel: NotebookKernel): void {
    this.byNotebook.set(kernel.notebook_uri, kernel);
  }

  get(notebookUri: string): NotebookKernel | undefined {
    return this.byNotebook.get(notebookUri);
  }

  forget(notebookUri: string): void {
    this.byNotebook.delete(notebookUri);
  }

  all(): NotebookKernel[] {
    return [...this.byNotebook.values()];
  }
}

/** The kernel fields of an execution record: the announced kernel, else what the notebook's metadata declares. */
export function kernelFieldsFor(
  announced: NotebookKernel | undefined,
  declared: { name?: string; displayName?: string },
): { kernel_id: string | null; kernel_name: string | null; kernel_display_name: string | null } {
  if (announced) {
    return {
      kernel_id: announced.kernel_id ?? null,
      kernel_name: announced.kernel_name ?? null,
      kernel_display_name: announced.kernel_display_name ?? null,
    };
  }
  return { kernel_id: null, kernel_name: declared.name ?? null, kernel_display_name: declared.displayName ?? null };
}

export interface AnnouncerDeps {
  registry: NotebookKernelRegistry;
  /** Sends one announcement to the sidecar; false when it is not running (it is sent again on its start). */
  send: (kernel: NotebookKernel) => boolean;
  /** Whether TrackIT records the notebook (enabled, not paused, not excluded): only then is its kernel touched. */
  isTracked: (notebookUri: string, notebookPath: string | null) => boolean;
  log: { info(message: string): void; warn(message: string): void };
}

/** The `trackit.notebookKernel` command's work: validate, remember, forward for tracked notebooks. */
export class KernelAnnouncer {
  constructor(private readonly deps: AnnouncerDeps) {}

  /** Returns whether the announcement was accepted (a malformed one is logged and refused). */
  announce(arg: unknown, parseUri: (text: string) => UriLike): boolean {
    let kernel: NotebookKernel;
    try {
      kernel = toNotebookKernel(arg, parseUri);
    } catch (error) {
      this.deps.log.warn(`trackit.notebookKernel: ignored an announcement: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    this.deps.registry.set(kernel);
    const what = kernel.connection_file ?? `kernel id ${kernel.kernel_id}`;
    if (!this.deps.isTracked(kernel.notebook_uri, kernel.notebook_path ?? null)) {
      this.deps.log.info(`kernel ${what} announced for ${kernel.notebook_uri}, which is not tracked: left alone`);
      return true;
    }
    this.deps.log.info(`kernel ${what} (${kernel.kernel_name ?? "?"}) announced for ${kernel.notebook_uri}`);
    this.deps.send(kernel);
    return true;
  }

  /** After a sidecar start, or when tracking is resumed: every tracked notebook's kernel again. */
  resendAll(): void {
    for (const kernel of this.deps.registry.all()) {
      if (this.deps.isTracked(kernel.notebook_uri, kernel.notebook_path ?? null)) this.deps.send(kernel);
    }
  }
}
