"""A feature tree's hash and the diff of two trees (features.py builds the trees): equal decisions hash equal, an
outcome (OUTCOMES: what a search found) left out; a diff is leaf-level, named as a table shows it
(`preprocessing.impute_missing[Age]`, `model.params.C`)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

from ..protocol import FeatureChange, ModelFingerprint

OUTCOMES = (("model", "best_params"),)  # paths left out of the config hash


def config_hash(tree: dict[str, Any]) -> str:
    """sha256 of the tree's canonical JSON, outcomes left out: equal decisions, equal hash."""
    pruned = json.loads(json.dumps(tree))
    for path in OUTCOMES:
        node = pruned
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(path[-1], None)
    canonical = json.dumps(pruned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_outcome(path: str) -> bool:
    """What a search found (`model.best_params...`), not a decision: a diff lists it, a cause or a count of decisions
    does not (a grid edited, the cause read "a decision changed: ...; model.best_params.regressor__alpha: 0.01 → 0.1")."""
    parts = split_path(path)
    return any(tuple(parts[:len(outcome)]) == outcome for outcome in OUTCOMES)


def diff(parent: dict[str, Any], child: dict[str, Any], prefix: str = "") -> list[FeatureChange]:
    """Leaf-level differences, in the child's key order (then keys only the parent has)."""
    changes: list[FeatureChange] = []
    keys = list(child) + [k for k in parent if k not in child]
    for key in keys:
        path = f"{prefix}.{key}" if prefix and not key.startswith("[") else f"{prefix}{key}"  # a member: steps[pca]
        if key not in parent:
            changes.append(FeatureChange(path=path, change="added", after=child[key]))
        elif key not in child:
            changes.append(FeatureChange(path=path, change="removed", before=parent[key]))
        elif isinstance(parent[key], dict) and isinstance(child[key], dict):
            changes.extend(diff(parent[key], child[key], path))
        elif parent[key] != child[key] and _same_members(parent[key], child[key]):
            changes.extend(diff(_by_member(parent[key]), _by_member(child[key]), path))
        elif parent[key] != child[key] or type(parent[key]) is not type(child[key]):
            changes.append(FeatureChange(path=path, change="changed", before=parent[key], after=child[key]))
    return changes


def _member_keys(value: Any) -> Optional[list[str]]:
    """A composite's members (a pipeline's or a union's `steps`: dicts with a name or a class) by their name, else
    their class; None when the list is not one, or names a member twice."""
    if not isinstance(value, list) or not value or not all(isinstance(m, dict) for m in value):
        return None
    keys = [str(m.get("name") or m.get("class") or "") for m in value]
    return keys if all(keys) and len(set(keys)) == len(keys) else None


def _same_members(parent: Any, child: Any) -> bool:
    """Two lists of the same members in the same order: their differences are said member by member
    (`model.steps[union].steps[pca].params.n_components: 1 → 2`), where the whole list, cut to a line, hid which
    member changed. Members added, removed or reordered change the list as a whole: a pipeline's order is a decision."""
    keys = _member_keys(parent)
    return keys is not None and keys == _member_keys(child)


def _by_member(members: list[dict[str, Any]]) -> dict[str, Any]:
    return {f"[{key}]": member for key, member in zip(_member_keys(members) or [], members)}


def model_decisions(changes: list[FeatureChange], before: Optional[ModelFingerprint],
                    after: Optional[ModelFingerprint]) -> list[FeatureChange]:
    """The changes with a model's parameters said as decisions:
    - a parameter written on one side only (the tree holds the constructor's literal arguments) that the other side's
      fitted model, as the kernel read it, holds at the same value is no change (islr chapter 4's
      `LinearDiscriminantAnalysis(solver='svd')` then `LinearDiscriminantAnalysis()` read "model.params.solver: svd →
      (removed)", while `show` listed solver=svd for both);
    - one written on one side only is the class's default on the other (`unset_means="default"`), with its value
      when the kernel read the other side's fitted model of the same class: "model.params.C: (unset) → 0.3" is
      "1.0 (default) → 0.3";
    - under a class change the old class's parameters are no decisions of the new one: those it alone had are left
      out, the new class's set ones are said as set on it (`unset_means="another_class"`): `LogisticRegression(
      solver='liblinear')` → `KNeighborsClassifier(n_neighbors=7)` read "model.class, model.params.n_neighbors,
      model.params.solver, model.params.C", a parameter-by-parameter diff across classes."""
    def kernel_value(model: Optional[ModelFingerprint], name: str) -> tuple[bool, Any]:
        if model is None or model.source != "kernel" or name not in model.params:
            return False, None
        return True, model.params[name]

    same_class = before is not None and after is not None and before.class_name == after.class_name
    new_class = {tuple(split_path(c.path)[:-1]) for c in changes
                 if c.change == "changed" and split_path(c.path)[-1] == "class"}
    kept = []
    for change in changes:
        parts = split_path(change.path)
        if len(parts) < 3 or parts[-2] != "params":
            kept.append(change)
            continue
        owner = tuple(parts[:-2])  # ("model",) or a pipeline member's ("model", "steps[clf]")
        if owner in new_class:
            if change.change != "removed":
                kept.append(change.model_copy(update={"change": "added", "before": None,
                                                      "unset_means": "another_class"}))
            continue
        if change.change == "changed":
            kept.append(change)
            continue
        written = change.after if change.change == "added" else change.before
        other = before if change.change == "added" else after
        read, default = kernel_value(other, parts[-1]) if same_class and owner == ("model",) else (False, None)
        if read and (default == written or str(default) == str(written)):
            continue
        side = "before" if change.change == "added" else "after"
        kept.append(change.model_copy(update={side: default, "unset_means": "default"}))
    return kept


# how deep a change is named in a one-line summary: a preprocessing step, a model parameter, a split option
_SUMMARY_DEPTH = {"preprocessing": 2, "data": 3, "model": 3, "split": 2, "training": 2, "evaluation": 2}


def changed_paths(changes: list[FeatureChange]) -> list[str]:
    """The feature names a table shows: `preprocessing.impute_missing[Age]`, `model.params.C`."""
    out: list[str] = []
    for change in changes:
        parts = split_path(change.path)
        depth = _SUMMARY_DEPTH.get(parts[0], 2)
        name = ".".join(parts[:depth])
        if name not in out:
            out.append(name)
    return out


def split_path(path: str) -> list[str]:
    """Split on dots outside brackets: `preprocessing.impute_missing[a.b].strategy` has 3 parts."""
    parts, depth, current = [], 0, ""
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts
