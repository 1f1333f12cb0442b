// A CommandContext for command tests: the sidecar is a fake requester answering from `answers` and logging
// every request into `calls`; the rest is inert.
import * as vscode from "vscode";
import type { CommandContext } from "../src/commands/context";
import { DEFAULTS, TrackitSettings } from "../src/config";
import { PauseState } from "../src/notebook/pauseState";

export function fakeCommandContext(
  answers: Record<string, (params: any) => unknown>,
  calls: [string, any][],
  settings: Partial<TrackitSettings> = {},
): CommandContext {
  const noop = () => undefined;
  return {
    sidecar: {
      request: async <R>(method: string, params: any) => {
        calls.push([method, params]);
        return answers[method](params) as R;
      },
    },
    log: { info: noop, warn: noop, error: noop } as any,
    pause: new PauseState({ get: () => undefined, update: async () => undefined }),
    storageUri: vscode.Uri.file("/storage"),
    settings: () => ({ ...DEFAULTS, ...settings }),
    trusted: () => true,
  };
}
