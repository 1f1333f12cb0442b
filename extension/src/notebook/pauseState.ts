// Per-notebook pause, persisted in workspaceState so it survives reloads.
export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = "trackit.pausedNotebooks";

export class PauseState {
  private readonly paused: Set<string>;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly memento: Memento) {
    const stored = memento.get<unknown>(KEY);
    this.paused = new Set(Array.isArray(stored) ? stored.filter((u): u is string => typeof u === "string") : []);
  }

  isPaused(notebookUri: string): boolean {
    return this.paused.has(notebookUri);
  }

  async set(notebookUri: string, paused: boolean): Promise<void> {
    if (paused) this.paused.add(notebookUri);
    else this.paused.delete(notebookUri);
    await this.memento.update(KEY, [...this.paused]);
    for (const l of this.listeners) l();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
