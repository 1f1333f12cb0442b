// Pure: every sent capture stays here until the sidecar says it is durable (trackit/lineageChanged
// carries the event_ids it committed). Each sidecar start is a new "generation": unconfirmed events
// are handed out again once per generation, oldest first, and the sidecar de-duplicates by event_id.

export interface BufferedEvent {
  readonly event_id: string;
}

interface Entry<T> {
  event: T;
  sentGeneration: number; // -1 = never sent
}

export class ResendBuffer<T extends BufferedEvent> {
  private readonly entries = new Map<string, Entry<T>>(); // insertion order = send order
  private droppedTotal = 0;

  constructor(private readonly capacity = 10_000) {
    if (capacity < 1) throw new Error(`ResendBuffer capacity must be at least 1, got ${capacity}`);
  }

  /** Adds an event; returns the events dropped to stay within capacity (oldest first). */
  add(event: T): T[] {
    if (this.entries.has(event.event_id)) return [];
    this.entries.set(event.event_id, { event, sentGeneration: -1 });
    const dropped: T[] = [];
    while (this.entries.size > this.capacity) {
      const oldestId = this.entries.keys().next().value as string;
      dropped.push(this.entries.get(oldestId)!.event);
      this.entries.delete(oldestId);
    }
    this.droppedTotal += dropped.length;
    return dropped;
  }

  /** Events not yet sent during `generation`, in order; they are marked sent for that generation. */
  takeUnsent(generation: number): T[] {
    const out: T[] = [];
    for (const entry of this.entries.values()) {
      if (entry.sentGeneration < generation) {
        entry.sentGeneration = generation;
        out.push(entry.event);
      }
    }
    return out;
  }

  /** Drops confirmed events; returns how many were in the buffer. */
  confirm(eventIds: readonly string[]): number {
    let n = 0;
    for (const id of eventIds) if (this.entries.delete(id)) n++;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
  get dropped(): number {
    return this.droppedTotal;
  }
  pendingIds(): string[] {
    return [...this.entries.keys()];
  }
}
