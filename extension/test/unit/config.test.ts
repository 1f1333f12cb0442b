import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigSource, DEFAULTS, needsRestart, readSettings, toSetConfigParams } from "../../src/config";
import { isExcluded } from "../../src/notebook/exclude";

/** Settings as VS Code layers them: defaults < user (global) < workspace. */
function source(user: Record<string, unknown>, workspace: Record<string, unknown> = {}): ConfigSource {
  return {
    get: <T>(key: string) => (key in workspace ? workspace[key] : user[key]) as T | undefined,
    inspect: <T>(key: string) => ({ globalValue: user[key] as T | undefined }),
  };
}

describe("settings", () => {
  it("reads defaults when nothing is set", () => {
    assert.deepEqual(readSettings(source({}), true), DEFAULTS);
  });

  it("rejects invalid values with the defaults", () => {
    const s = readSettings(source({ "capture.maxTextOutputBytes": -5, "summary.provider": "gpt-9", exclude: ["", 3, "**/tmp/**"] }), true);
    assert.equal(s.maxTextOutputBytes, 65536);
    assert.equal(s.provider, "builtin");
    assert.deepEqual(s.exclude, ["**/tmp/**"]);
  });

  it("trusted: workspace values apply and provider options are sent snake_case", () => {
    const s = readSettings(
      source({}, { "summary.provider": "openai", "summary.openai.model": "gpt-x", "summary.openai.apiKeyEnv": "MY_KEY", "sidecar.pythonPath": "/ws/python" }),
      true,
    );
    assert.equal(s.pythonPath, "/ws/python");
    assert.deepEqual(toSetConfigParams(s, true), {
      max_text_output_bytes: 65536,
      runtime_capture: true,
      summary_provider: "openai",
      provider_options: { send_raw_outputs: false, base_url: "https://api.openai.com/v1", model: "gpt-x", api_key_env: "MY_KEY" },
      trusted: true,
    });
  });

  it("untrusted: workspace-level sidecar/python/database/provider settings are ignored, user-level ones kept", () => {
    const s = readSettings(
      source(
        { "sidecar.pythonPath": "/home/me/venv/bin/python" },
        { "sidecar.path": "/ws/evil", "sidecar.pythonPath": "/ws/python", databasePath: "/ws/db.duckdb", "summary.provider": "openai" },
      ),
      false,
    );
    assert.equal(s.sidecarPath, "");
    assert.equal(s.pythonPath, "/home/me/venv/bin/python");
    assert.equal(s.databasePath, "");
    assert.equal(s.provider, "builtin");
  });

  it("untrusted: records, but forces builtin summaries and no runtime capture", () => {
    const s = { ...DEFAULTS, provider: "bedrock" as const, runtimeFacts: true, sendRawOutputs: true };
    assert.deepEqual(toSetConfigParams(s, false), {
      max_text_output_bytes: 65536,
      runtime_capture: false,
      summary_provider: "builtin",
      provider_options: { send_raw_outputs: false },
      trusted: false,
    });
  });

  it("restarts the sidecar only for command or database changes", () => {
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, provider: "ollama" }), false);
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, databasePath: "/x.duckdb" }), true);
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, pythonPath: "/p" }), true);
  });
});

describe("exclude globs", () => {
  const ws = ["/work/project"];
  it("matches workspace-relative and absolute paths", () => {
    assert.equal(isExcluded("/work/project/scratch/try.ipynb", ["**/scratch/**"], ws), true);
    assert.equal(isExcluded("/work/project/scratch/try.ipynb", ["scratch/*.ipynb"], ws), true);
    assert.equal(isExcluded("/work/project/analysis.ipynb", ["**/scratch/**"], ws), false);
    assert.equal(isExcluded("/elsewhere/private.ipynb", ["/elsewhere/**"], ws), true);
    assert.equal(isExcluded("/work/project/a.ipynb", [], ws), false);
    assert.equal(isExcluded("/work/project/.hidden/a.ipynb", ["**/.hidden/**"], ws), true);
  });
});
