"""The lineage JSON leaves out the structured fields of a step (and a runtime fact's display fields) that do not
apply: exactly those whose value is None, False, 0, [] or {} (README: absent = empty), in the fields' own order. The
rule is spelled here as the format first defined it, so a faster way of applying it cannot drift from it
(it passes on the code before that change too: it pins what the change must keep)."""

from __future__ import annotations

import json

from trackit_sidecar import protocol as p


def test_a_step_leaves_out_exactly_its_empty_fields_and_keeps_an_empty_string():
    step = p.Step(op="impute_missing", output="df", inputs=["df"], columns=["age"], code="df = df.fillna(0)",
                  line=1, method="", statistic="median", rerun_of=0, named_as="", params={}, gaps_left={"age": 0},
                  cross_validated=False, row_wise=True, loops=[], quoted=["age"], label="")
    dumped = json.loads(step.model_dump_json())
    assert list(dumped) == [name for name in p.Step.model_fields if not (
        name in p._STEP_FIELDS_LEFT_OUT_WHEN_EMPTY and getattr(step, name) in (None, False, [], {}))]
    assert dumped["method"] == "" and dumped["named_as"] == "" and dumped["label"] == ""  # an empty string is said
    assert "rerun_of" not in dumped and "params" not in dumped and "loops" not in dumped  # 0, {} and [] are not
    assert "cross_validated" not in dumped and dumped["row_wise"] is True and dumped["gaps_left"] == {"age": 0}
    assert dumped["statistic"] == "median" and dumped["quoted"] == ["age"]
    assert step.model_dump(mode="json") == dumped


def test_a_runtime_fact_leaves_out_only_its_empty_display_fields():
    shown = p.RuntimeFacts(variable="df", displayed=True, scalar=False, source=None, rows_after=0,
                           column_nulls_after={})
    dumped = json.loads(shown.model_dump_json())
    assert dumped["displayed"] is True and "scalar" not in dumped and "source" not in dumped
    assert dumped["rows_after"] == 0 and dumped["column_nulls_after"] == {}  # not of the left-out fields: kept
    assert "column_nulls_before" not in dumped  # None: not counted by column
    assert list(dumped) == [k for k in p.RuntimeFacts.model_fields if k in dumped]


def test_a_step_says_from_what_its_op_was_inferred_and_an_asserted_one_leaves_it_out():
    guessed = json.loads(p.Step(op="load", method="load_data", inferred_from="helper_name").model_dump_json())
    asserted = json.loads(p.Step(op="load", method="read_csv").model_dump_json())
    assert guessed["inferred_from"] == "helper_name" and "inferred_from" not in asserted
    # the editor reads it too (extension/src/sidecar/protocol.ts STEP_FIELDS; test_protocol_contract compares them)
    assert "inferred_from" in p.Step.model_fields
