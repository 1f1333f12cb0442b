// One registry for typed server -> client notifications. The client forwards every method listed in
// SERVER_NOTIFICATIONS to `dispatch`; views and the tracker subscribe with `on`. Subscriptions outlive
// sidecar restarts (only the client's own forwarding listeners are per-client).
import type { DatabaseError, LineageChanged } from "./protocol";
import { Methods } from "./protocol";

export interface ServerNotifications {
  [Methods.LINEAGE_CHANGED]: LineageChanged;
  [Methods.DATABASE_ERROR]: DatabaseError;
}
export const SERVER_NOTIFICATIONS: readonly (keyof ServerNotifications)[] = [Methods.LINEAGE_CHANGED, Methods.DATABASE_ERROR];

type Handler<P> = (params: P) => void;

export class NotificationRegistry {
  private readonly handlers = new Map<string, Set<Handler<any>>>();

  constructor(private readonly onHandlerError: (method: string, error: unknown) => void = () => undefined) {}

  on<M extends keyof ServerNotifications>(method: M, handler: Handler<ServerNotifications[M]>): { dispose(): void } {
    let set = this.handlers.get(method);
    if (!set) this.handlers.set(method, (set = new Set()));
    set.add(handler);
    return { dispose: () => set!.delete(handler) };
  }

  dispatch(method: string, params: unknown): void {
    for (const handler of [...(this.handlers.get(method) ?? [])]) {
      try {
        handler(params);
      } catch (error) {
        // One failing view must not stop the others (or the re-send buffer) from hearing about it.
        this.onHandlerError(method, error);
      }
    }
  }
}
