// The contract test: extension/src/sidecar/protocol.ts against sidecar/trackit_sidecar/protocol.py.
// Dumps the pydantic models (field names, Literal values), method names and versions with the repo's
// Python and compares them with protocol.ts's runtime lists. It also validates the JSON fixtures the
// other unit tests use against the pydantic models, so those fixtures cannot drift from the format.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ts from "../../src/sidecar/protocol";
import { venvPython } from "../repo";

const DUMP = String.raw`
import json, sys, typing
import trackit_sidecar.protocol as p

def literal_values(annotation):
    # Literal[...] directly, or inside Optional[...] / Union[...]
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        found = literal_values(arg)
        if found:
            return found
    return None

models, enums = {}, {}
for name, obj in vars(p).items():
    if isinstance(obj, type) and issubclass(obj, p.Wire) and obj is not p.Wire:
        models[name] = list(obj.model_fields)
        for field, info in obj.model_fields.items():
            values = literal_values(info.annotation)
            if values:
                enums[name + "." + field] = values
json.dump({
    "methods": p.METHODS,
    "protocol_version": p.PROTOCOL_VERSION,
    "lineage_format": p.LINEAGE_FORMAT,
    "step_ops": list(p.STEP_OPS),
    "has_runtime_status_notes": hasattr(p, "RUNTIME_STATUS_NOTES"),
    "models": models,
    "enums": enums,
}, sys.stdout)
`;

const VALIDATE = String.raw`
import json, sys
import trackit_sidecar.protocol as p
model = getattr(p, sys.argv[1])
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        model.model_validate(json.load(f))
print("ok")
`;

interface PyContract {
  methods: Record<string, string>;
  protocol_version: number;
  lineage_format: string;
  step_ops: string[];
  has_runtime_status_notes: boolean;
  models: Record<string, string[]>;
  enums: Record<string, string[]>;
}

function dumpPython(): PyContract {
  const out = execFileSync(venvPython(), ["-c", DUMP], { encoding: "utf8", timeout: 60_000 });
  return JSON.parse(out) as PyContract;
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe("protocol.ts <-> protocol.py contract", () => {
  const py = dumpPython();

  it("has the same method names", () => {
    assert.deepEqual(ts.Methods, py.methods);
  });

  it("has the same protocol version and lineage format", () => {
    assert.equal(ts.PROTOCOL_VERSION, py.protocol_version);
    assert.equal(ts.LINEAGE_FORMAT, py.lineage_format);
  });

  it("mirrors every message model, no more and no less", () => {
    assert.deepEqual(sorted(Object.keys(ts.MESSAGE_FIELDS)), sorted(Object.keys(py.models)));
  });

  it("has the same field names in every message", () => {
    const mismatches: string[] = [];
    for (const [model, pyFields] of Object.entries(py.models)) {
      const tsFields = (ts.MESSAGE_FIELDS as Record<string, readonly string[]>)[model] ?? [];
      const missing = pyFields.filter((f) => !tsFields.includes(f));
      const extra = tsFields.filter((f) => !pyFields.includes(f));
      if (missing.length || extra.length) mismatches.push(`${model}: missing in TS [${missing}], only in TS [${extra}]`);
    }
    assert.deepEqual(mismatches, []);
  });

  it("has the same enum values (status, provider, step ops, output types, db modes)", () => {
    assert.deepEqual(sorted(Object.keys(ts.FIELD_ENUMS)), sorted(Object.keys(py.enums)), "which fields are enums");
    for (const [key, values] of Object.entries(py.enums)) {
      assert.deepEqual([...(ts.FIELD_ENUMS as Record<string, readonly string[]>)[key]], values, key);
    }
    assert.deepEqual([...ts.STEP_OPS], py.step_ops);
  });

  it("leaves the wording of runtime statuses to the sidecar (render/tree.py sends runtime_note)", () => {
    assert.equal("RUNTIME_STATUS_NOTES" in ts, false);
    assert.equal(py.has_runtime_status_notes, false);
    assert.ok(ts.SESSION_INFO_FIELDS.includes("runtime_note") && ts.EXECUTION_RECORD_FIELDS.includes("runtime_note"));
  });

  it("uses fixtures that are valid LineageDocuments", () => {
    const dir = path.join(__dirname, "..", "..", "..", "test", "fixtures");
    const files = readdirSync(dir)
      .filter((f) => f.startsWith("lineage-") && f.endsWith(".json"))
      .map((f) => path.join(dir, f));
    assert.ok(files.length > 0, `no lineage fixtures in ${dir}`);
    const out = execFileSync(venvPython(), ["-c", VALIDATE, "LineageDocument", ...files], { encoding: "utf8", timeout: 60_000 });
    assert.equal(out.trim(), "ok");
  });
});
