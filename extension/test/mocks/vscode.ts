// A small stand-in for the `vscode` module: value classes behave like the real ones; namespaces are
// plain mutable objects that a test fills with exactly what it needs (and resets).
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as path from "node:path";

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) throw new Error(`mock Uri.parse: not a URI: ${value}`);
    return new Uri(m[1], m[2] ?? "", decodeURIComponent(m[3] ?? ""), m[4] ?? "", m[5] ?? "");
  }
  static file(p: string): Uri {
    return new Uri("file", "", p.replace(/\\/g, "/"), "", "");
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string; fragment?: string; query?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    const auth = this.scheme === "file" || this.authority ? `//${this.authority}` : "";
    return `${this.scheme}:${auth}${encodeURI(this.path)}${this.query ? `?${this.query}` : ""}${this.fragment ? `#${this.fragment}` : ""}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class MarkdownString {
  constructor(public value: string = "") {}
}
export enum NotebookCellKind {
  Markup = 1,
  Code = 2,
}
export class NotebookCellData {
  metadata?: Record<string, unknown>;
  constructor(
    public kind: NotebookCellKind,
    public value: string,
    public languageId: string,
  ) {}
}
export class NotebookData {
  metadata?: Record<string, unknown>;
  constructor(public cells: NotebookCellData[]) {}
}
export enum NotebookCellStatusBarAlignment {
  Left = 1,
  Right = 2,
}
export class NotebookCellStatusBarItem {
  tooltip?: string;
  command?: unknown;
  accessibilityInformation?: { label: string; role?: string };
  constructor(
    public text: string,
    public alignment: NotebookCellStatusBarAlignment,
  ) {}
}
export class NotebookRange {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ProgressLocation {
  Notification = 15,
}
export enum ViewColumn {
  Beside = -2,
}
export enum NotebookEditorRevealType {
  InCenterIfOutsideViewport = 2,
}

const noEvent = () => new Disposable();

/**
 * A namespace object: members a test sets are used as-is; any other `onDid*` / `onWill*` event,
 * `register*` or `create*` call returns a Disposable (vscode-languageclient wires many of them).
 */
function namespace(members: Record<string, unknown>): any {
  return new Proxy(members, {
    get(target, prop) {
      if (prop in target) return target[prop as string];
      if (typeof prop === "string" && /^(onDid|onWill|register|create)/.test(prop)) {
        return () => new Disposable();
      }
      return undefined;
    },
  });
}

export const workspace: any = namespace({
  isTrusted: true,
  notebookDocuments: [] as unknown[],
  textDocuments: [] as unknown[],
  workspaceFolders: undefined,
  getConfiguration: () => ({ get: () => undefined, inspect: () => undefined, has: () => false }),
});
export const window: any = namespace({
  activeNotebookEditor: undefined,
  visibleTextEditors: [],
  visibleNotebookEditors: [],
});
export const commands: any = namespace({});
export const notebooks: any = namespace({});
export const languages: any = namespace({ match: () => 0 });
export const env: any = namespace({ machineId: "test", language: "en", appName: "mock", uriScheme: "vscode" });
export const extensions: any = namespace({ all: [] });
export const version = "1.90.0";
