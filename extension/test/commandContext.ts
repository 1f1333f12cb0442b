// A CommandContext for command tests: the sidecar is a fake requester answering from `answers` and logging
// every request into `calls`; the rest is inert.
import type { CommandContext } from "../src/commands/context";
import type { SummaryResult } from "../src/sidecar/protocol";
import { DEFAULTS, TrackitSettings } from "../src/config";
import { PauseState } from "../src/notebook/pauseState";

export type Shown = [string, string, SummaryResult | string];

export function fakeCommandContext(
  answers: Record<string, (params: any) => unknown>,
  calls: [string, any][],
  settings: Partial<TrackitSettings> = {},
  shown: Shown[] = [],
): CommandContext {
  const noop = () => undefined;
  return {
    summaries: {
      show: (uri, name, result) => void shown.push([uri, name, result]),
      busy: (uri, what) => void shown.push([uri, "busy", what]),
    },
    sidecar: {
      request: async <R>(method: string, params: any) => {
        calls.push([method, params]);
        return answers[method](params) as R;
      },
    },
    log: { info: noop, warn: noop, error: noop } as any,
    pause: new PauseState({ get: () => undefined, update: async () => undefined }),
    settings: () => ({ ...DEFAULTS, ...settings }),
    trusted: () => true,
  };
}
