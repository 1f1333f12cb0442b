"""Python side of the protocol contract: sidecar/trackit_sidecar/protocol.py vs extension/src/sidecar/protocol.ts.

protocol.ts keeps, for every message, a runtime list of its field names (`MESSAGE_FIELDS`), the method
names (`Methods`) and every Literal's values (`FIELD_ENUMS`) in a fixed, simple layout; this test reads
those lists straight from the TypeScript source (no Node needed) and compares them with the pydantic
models. The Node side (extension/test/unit/contract.test.ts) does the same from the other direction.
"""

from __future__ import annotations

import os
import re
import typing
from pathlib import Path

import pytest

import trackit_sidecar.protocol as p
from trackit_sidecar.render.tree import RUNTIME_STATUS_NOTES

# TRACKIT_PROTOCOL_TS: check another copy (used to prove the test fails on a drifted file).
PROTOCOL_TS = Path(
    os.environ.get("TRACKIT_PROTOCOL_TS") or Path(__file__).resolve().parents[2] / "extension" / "src" / "sidecar" / "protocol.ts"
)


def _strings(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', text)


def _block(source: str, start_pattern: str, open_char: str, close_char: str) -> str:
    """The text between the bracket that follows `start_pattern` and its matching close."""
    m = re.search(start_pattern, source)
    assert m, f"{start_pattern!r} not found in {PROTOCOL_TS}"
    i = source.index(open_char, m.end() - 1)
    depth = 0
    for j in range(i, len(source)):
        if source[j] == open_char:
            depth += 1
        elif source[j] == close_char:
            depth -= 1
            if depth == 0:
                return source[i + 1 : j]
    raise AssertionError(f"unbalanced {open_char} after {start_pattern!r}")


def _without_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text)


@pytest.fixture(scope="module")
def ts() -> dict[str, typing.Any]:
    source = _without_comments(PROTOCOL_TS.read_text(encoding="utf-8"))
    arrays = {  # every `export const NAME = [ ... ] as const` and every `NAME = fields<T>()([ ... ])`
        m.group(1): _strings(_block(source, rf"export const {m.group(1)}\s*=\s*(?:fields<\w+>\(\)\()?\[", "[", "]"))
        for m in re.finditer(r"export const (\w+)\s*=\s*(?:fields<\w+>\(\)\()?\[", source)
    }
    methods = dict(re.findall(r'(\w+):\s*"([^"]+)"', _block(source, r"export const Methods\s*=\s*\{", "{", "}")))
    message_fields = {
        model: arrays[const] for model, const in re.findall(r"(\w+):\s*(\w+)", _block(source, r"export const MESSAGE_FIELDS\s*=\s*\{", "{", "}"))
    }
    field_enums = {
        key: arrays[const] for key, const in re.findall(r'"([\w.]+)":\s*(\w+)', _block(source, r"export const FIELD_ENUMS\s*=\s*\{", "{", "}"))
    }
    version = int(re.search(r"export const PROTOCOL_VERSION\s*=\s*(\d+)", source).group(1))  # type: ignore[union-attr]
    lineage_format = re.search(r'export const LINEAGE_FORMAT\s*=\s*"([^"]+)"', source).group(1)  # type: ignore[union-attr]
    return {"methods": methods, "fields": message_fields, "enums": field_enums, "version": version, "format": lineage_format, "arrays": arrays,
            "source": source}


def _models() -> dict[str, type[p.Wire]]:
    return {
        name: obj
        for name, obj in vars(p).items()
        if isinstance(obj, type) and issubclass(obj, p.Wire) and obj is not p.Wire
    }


def _literal_values(annotation: typing.Any) -> list[str] | None:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        found = _literal_values(arg)
        if found:
            return found
    return None


def test_method_names_match(ts):
    assert ts["methods"] == p.METHODS


def test_versions_match(ts):
    assert ts["version"] == p.PROTOCOL_VERSION
    assert ts["format"] == p.LINEAGE_FORMAT


def test_every_model_is_mirrored(ts):
    assert sorted(ts["fields"]) == sorted(_models())


@pytest.mark.parametrize("name", sorted(_models()))
def test_field_names_match(ts, name):
    assert sorted(ts["fields"].get(name, [])) == sorted(_models()[name].model_fields), name


def test_enum_values_match(ts):
    py_enums = {}
    for name, model in _models().items():
        for field, info in model.model_fields.items():
            values = _literal_values(info.annotation)
            if values:
                py_enums[f"{name}.{field}"] = values
    assert ts["enums"] == py_enums
    assert ts["arrays"]["STEP_OPS"] == list(p.STEP_OPS)


def test_runtime_status_notes_are_worded_once(ts):
    # The sidecar words them (render/tree.py) and sends them (SessionInfo/ExecutionRecord.runtime_note): the
    # editor has no copy of its own to drift from.
    assert "RUNTIME_STATUS_NOTES" not in ts["source"]
    assert not hasattr(p, "RUNTIME_STATUS_NOTES")
    assert set(RUNTIME_STATUS_NOTES) <= set(typing.get_args(p.RuntimeStatus))
    assert {"runtime_note"} <= set(ts["fields"]["SessionInfo"]) & set(ts["fields"]["ExecutionRecord"])


# A run's record goes over the wire without its fields at their default (p.record_on_the_wire): every such field,
# nested ones too, is optional in protocol.ts or filled in by the editor from its defaults table (normalizeLineage)
WIRE_RECORD_MODELS = {"ExecutionRecord": "RECORD_DEFAULTS", "Step": "STEP_DEFAULTS", "RuntimeFacts": None,
                      "OutputInfo": None, "InputFile": None, "ErrorInfo": None, "StepCondition": None,
                      "StepLoop": None, "FormulaFit": None, "FileWritten": None}


def _optional_in_ts(source: str, model: str) -> set[str]:
    body = _block(source, rf"export interface {model}\b[^{{]*\{{", "{", "}")  # whatever it extends
    return set(re.findall(r"^\s*(\w+)\?:", body, flags=re.MULTILINE))


def _ts_defaults(source: str, const: str) -> dict[str, typing.Any]:
    import json

    body = _block(source, rf"export const {const}\s*=\s*\{{", "{", "}")
    return json.loads("{" + re.sub(r"(\w+):", r'"\1":', body).rstrip().rstrip(",") + "}")


@pytest.mark.parametrize("model", sorted(WIRE_RECORD_MODELS))
def test_every_field_a_record_leaves_out_on_the_wire_is_optional_or_filled_in_by_the_editor(ts, model):
    defaulted = {name: info.get_default(call_default_factory=True)
                 for name, info in _models()[model].model_fields.items() if not info.is_required()}
    optional = _optional_in_ts(ts["source"], model)
    filled = _ts_defaults(ts["source"], WIRE_RECORD_MODELS[model]) if WIRE_RECORD_MODELS[model] else {}
    assert {name: value for name, value in filled.items() if defaulted.get(name, object()) != value} == {}, \
        f"{model}: the editor's defaults are not protocol.py's"
    assert sorted(set(defaulted) - optional - set(filled)) == [], \
        f"{model}: left out on the wire at their default, but required in protocol.ts and not filled in"


def test_the_fields_records_share_on_the_wire_are_named_alike_and_read_back_by_the_editor(ts):
    # a whole document read from ready rows sends them once per distinct set (p.SHARED_PARTS), a record naming its
    # entry (p.SHARED_PART): protocol.ts declares both on its wire form, which normalizeLineage reads
    assert ts["arrays"]["SHARED_FIELDS"] == list(p.SHARED_FIELDS)
    assert set(p.SHARED_FIELDS) <= set(p.ExecutionRecord.model_fields)
    assert p.SHARED_PARTS in _optional_in_ts(ts["source"], "LineageDocumentOnTheWire")
    assert p.SHARED_PART in _optional_in_ts(ts["source"], "ExecutionRecordOnTheWire")
    # neither is a field of the parsed models: `trackit lineage --json` writes the document without them
    assert not {p.SHARED_PARTS, p.SHARED_PART} & (set(p.LineageDocument.model_fields) | set(p.ExecutionRecord.model_fields))


def test_a_cells_problems_are_a_list_of_texts_on_both_sides(ts):
    # the editor shows them as they come (the status bar's count and tooltip): sentences, not records to word
    assert p.CellAnnotation.model_fields["problems"].annotation == list[str]
    body = _block(ts["source"], r"export interface CellAnnotation\b[^{]*\{", "{", "}")
    assert re.search(r"^\s*problems:\s*string\[\];", body, flags=re.MULTILINE), "CellAnnotation.problems: string[]"
