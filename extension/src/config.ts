// Settings: read once through the facade, then turned into pure values (TrackitSettings, SetConfigParams).
// Untrusted workspace: TrackIT still records captures but runs nothing the workspace could choose:
// workspace-level sidecar.path / pythonPath / databasePath are ignored (user-level values only),
// summaries are forced to the builtin provider and runtime kernel attach is off.
import type { ProviderName, SetConfigParams } from "./sidecar/protocol";
import { PROVIDER_NAMES } from "./sidecar/protocol";

export interface TrackitSettings {
  enabled: boolean;
  databasePath: string;
  exclude: string[];
  maxTextOutputBytes: number;
  runtimeFacts: boolean;
  provider: ProviderName;
  bedrock: { region: string; modelId: string; profile: string };
  ollama: { host: string; model: string };
  openai: { baseUrl: string; model: string; apiKeyEnv: string };
  sendRawOutputs: boolean;
  sidecarPath: string;
  pythonPath: string;
}

/** The subset of vscode.WorkspaceConfiguration this file needs (section "trackit"). */
export interface ConfigSource {
  get<T>(key: string): T | undefined;
  inspect<T>(key: string): { globalValue?: T; defaultValue?: T } | undefined;
}

export const DEFAULTS: TrackitSettings = {
  enabled: true,
  databasePath: "",
  exclude: [],
  maxTextOutputBytes: 65536,
  runtimeFacts: true,
  provider: "builtin",
  bedrock: { region: "", modelId: "", profile: "" },
  ollama: { host: "http://127.0.0.1:11434", model: "" },
  openai: { baseUrl: "https://api.openai.com/v1", model: "", apiKeyEnv: "OPENAI_API_KEY" },
  sendRawOutputs: false,
  sidecarPath: "",
  pythonPath: "",
};

function str(v: unknown, fallback: string): string {
  return typeof v === "string" ? v : fallback;
}
function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === "boolean" ? v : fallback;
}

export function readSettings(cfg: ConfigSource, trusted: boolean): TrackitSettings {
  // In an untrusted workspace only the user's own (global) value of a risky setting counts.
  const risky = <T>(key: string): T | undefined => (trusted ? cfg.get<T>(key) : cfg.inspect<T>(key)?.globalValue);
  const maxBytes = cfg.get<number>("capture.maxTextOutputBytes");
  const provider = risky<string>("summary.provider");
  const exclude = cfg.get<unknown>("exclude");
  return {
    enabled: bool(cfg.get("enabled"), DEFAULTS.enabled),
    databasePath: str(risky("databasePath"), DEFAULTS.databasePath),
    exclude: Array.isArray(exclude) ? exclude.filter((g): g is string => typeof g === "string" && g.length > 0) : [],
    maxTextOutputBytes:
      typeof maxBytes === "number" && Number.isFinite(maxBytes) && maxBytes >= 0 ? Math.floor(maxBytes) : DEFAULTS.maxTextOutputBytes,
    runtimeFacts: bool(cfg.get("capture.runtimeFacts"), DEFAULTS.runtimeFacts),
    provider: (PROVIDER_NAMES as readonly string[]).includes(provider ?? "") ? (provider as ProviderName) : DEFAULTS.provider,
    bedrock: {
      region: str(risky("summary.bedrock.region"), DEFAULTS.bedrock.region),
      modelId: str(risky("summary.bedrock.modelId"), DEFAULTS.bedrock.modelId),
      profile: str(risky("summary.bedrock.profile"), DEFAULTS.bedrock.profile),
    },
    ollama: {
      host: str(risky("summary.ollama.host"), DEFAULTS.ollama.host),
      model: str(risky("summary.ollama.model"), DEFAULTS.ollama.model),
    },
    openai: {
      baseUrl: str(risky("summary.openai.baseUrl"), DEFAULTS.openai.baseUrl),
      model: str(risky("summary.openai.model"), DEFAULTS.openai.model),
      apiKeyEnv: str(risky("summary.openai.apiKeyEnv"), DEFAULTS.openai.apiKeyEnv),
    },
    sendRawOutputs: bool(risky("summary.sendRawOutputs"), DEFAULTS.sendRawOutputs),
    sidecarPath: str(risky("sidecar.path"), DEFAULTS.sidecarPath),
    pythonPath: str(risky("sidecar.pythonPath"), DEFAULTS.pythonPath),
  };
}

/** The `trackit/setConfig` notification for these settings. provider_options keys are snake_case. */
export function toSetConfigParams(s: TrackitSettings, trusted: boolean): SetConfigParams {
  if (!trusted) {
    return {
      max_text_output_bytes: s.maxTextOutputBytes,
      runtime_capture: false,
      summary_provider: "builtin",
      provider_options: { send_raw_outputs: false },
      trusted: false,
    };
  }
  const providerOptions: Record<string, unknown> = { send_raw_outputs: s.sendRawOutputs };
  switch (s.provider) {
    case "bedrock":
      Object.assign(providerOptions, { region: s.bedrock.region, model_id: s.bedrock.modelId, profile: s.bedrock.profile });
      break;
    case "ollama":
      Object.assign(providerOptions, { host: s.ollama.host, model: s.ollama.model });
      break;
    case "openai":
      Object.assign(providerOptions, { base_url: s.openai.baseUrl, model: s.openai.model, api_key_env: s.openai.apiKeyEnv });
      break;
    case "builtin":
      break;
  }
  return {
    max_text_output_bytes: s.maxTextOutputBytes,
    runtime_capture: s.runtimeFacts,
    summary_provider: s.provider,
    provider_options: providerOptions,
    trusted: true,
  };
}

/** Settings whose change needs a sidecar restart (the command or the database changes). */
export function needsRestart(before: TrackitSettings, after: TrackitSettings): boolean {
  return before.databasePath !== after.databasePath || before.sidecarPath !== after.sidecarPath || before.pythonPath !== after.pythonPath;
}
