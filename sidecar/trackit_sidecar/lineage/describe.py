"""Short human phrases for steps and their runtime effects ("dropna on `df`: 891 → 714 rows (−177)").

Shared by hovers, the lineage tree text and the built-in summary so they all say the same thing.
"""

from __future__ import annotations

from ..protocol import RuntimeFacts, Step

OP_VERBS = {
    "load": "loaded",
    "filter_rows": "filtered rows of",
    "select_columns": "selected columns of",
    "drop_columns": "dropped columns from",
    "impute_missing": "imputed missing values in",
    "drop_missing": "dropped rows with missing values from",
    "drop_duplicates": "dropped duplicate rows from",
    "rename": "renamed columns of",
    "type_cast": "changed column types of",
    "encode_categorical": "encoded categorical columns of",
    "scale_normalize": "scaled",
    "derive_feature": "derived a feature on",
    "aggregate": "aggregated",
    "join": "joined",
    "concat": "concatenated",
    "reshape": "reshaped",
    "sort": "sorted",
    "sample": "sampled",
    "split": "split",
    "datetime_parse": "parsed dates in",
    "text_clean": "cleaned text in",
    "outlier_remove": "removed outliers from",
    "fit_model": "fitted a model on",
    "predict": "predicted with",
    "evaluate": "evaluated",
    "other": "transformed",
}


def signed(n: int) -> str:
    """+3 / −177 with a real minus sign, as people write deltas."""
    return f"+{n}" if n > 0 else f"\u2212{abs(n)}" if n < 0 else "±0"


def runtime_delta(facts: RuntimeFacts | None) -> str:
    """'891 → 714 rows (−177), 12 → 14 columns (+embarked_Q, +embarked_S)'; '' when nothing is known."""
    if facts is None:
        return ""
    parts: list[str] = []
    rb, ra = facts.rows_before, facts.rows_after
    if ra is not None:
        if rb is not None and rb != ra:
            parts.append(f"{rb:,} \u2192 {ra:,} rows ({signed(ra - rb)})")
        elif rb is not None:
            parts.append(f"{ra:,} rows (unchanged)")
        else:
            parts.append(f"{ra:,} rows")
    cb, ca = facts.cols_before, facts.cols_after
    if ca is not None and cb is not None and cb != ca:
        parts.append(f"{cb} \u2192 {ca} columns ({signed(ca - cb)})")
    elif ca is not None and cb is None:
        parts.append(f"{ca} columns")
    changes = [f"+{c}" for c in facts.added_columns[:5]] + [f"\u2212{c}" for c in facts.removed_columns[:5]]
    if changes:
        more = len(facts.added_columns) + len(facts.removed_columns) - len(changes)
        parts.append(", ".join(changes) + (f" and {more} more" if more > 0 else ""))
    if facts.dtype_changes:
        parts.append(", ".join(f"{c}: {a}\u2192{b}" for c, (a, b) in list(facts.dtype_changes.items())[:3]))
    if facts.nulls_before is not None and facts.nulls_after is not None and facts.nulls_before != facts.nulls_after:
        parts.append(f"nulls {facts.nulls_before:,} \u2192 {facts.nulls_after:,}")
    return "; ".join(parts)


def describe_step(step: Step) -> str:
    """One line: what the step did, to what, and with what effect."""
    target = step.output or (step.inputs[0] if step.inputs else None)
    text = step.op
    if step.detail:
        text += f" {step.detail}"
    if target:
        text += f" \u2192 `{target}`" if step.op == "load" else f" on `{target}`"
    if step.columns and step.op not in ("load",):
        cols = ", ".join(step.columns[:4]) + ("\u2026" if len(step.columns) > 4 else "")
        text += f" [{cols}]"
    delta = runtime_delta(step.runtime)
    return f"{text}: {delta}" if delta else text
