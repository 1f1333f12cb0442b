"""An estimator's constructor described as the feature tree's `model` holds it: {class, library, params}, with the
members of a composite (a pipeline's `steps`, a search's or a wrapper's `estimator`) described the same way, to a
depth of five. EstimatorDescription is a mixin of features._Builder (it reads the slice's scope)."""

from __future__ import annotations

import ast
from typing import Any, Optional

from .astutil import Scope, callee_name, is_missing, keyword_values, text
from .kb import NOTEBOOK_MODULE
from .positional_params import LIBRARY, POSITIONAL_PARAMETERS

MEMBER_PARAMETERS = ("estimator", "base_estimator", "regressor", "classifier")  # an estimator the model wraps
# composites given their members as a list of (name, estimator), first or by this keyword: described as `steps`
# (`FeatureUnion([("pca", PCA(1)), ...])` was one string, so PCA(1) -> PCA(2) diffed as the whole list's text)
NAMED_MEMBERS = {"Pipeline": "steps", "FeatureUnion": "transformer_list"}


class EstimatorDescription:
    """Mixin of `_Builder`: `estimator` and the composites' members."""

    scope: Scope

    def estimator(self, call: ast.Call, depth: int = 0) -> dict[str, Any]:
        """An estimator constructor as {class, library, params} (+ steps / estimator for composites)."""
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("fit", "set_params") and isinstance(
                call.func.value, ast.Call):
            return self.estimator(call.func.value, depth)
        qualified = self.scope.qualified(call.func) or callee_name(call) or "?"
        short = qualified.rsplit(".", 1)[-1]
        described: dict[str, Any] = {"class": short}
        library = qualified.split(".", 1)[0] if "." in qualified else (
            NOTEBOOK_MODULE if qualified in self.scope.classes else None)
        if library:
            described["library"] = library
        params = keyword_values(call, self.scope)
        if depth > 4:
            return {**described, "params": params}
        if short in NAMED_MEMBERS and call.args:
            described["steps"] = self._named_steps(call.args[0], depth)
        elif short in ("make_pipeline", "make_union"):
            described["steps"] = [self._member(a, depth) for a in call.args]
        elif short.endswith(("SearchCV", "Regressor")) and call.args and short not in ("TransformedTargetRegressor",):
            if short.endswith("SearchCV"):
                described["estimator"] = self._member(call.args[0], depth)
                if len(call.args) > 1:
                    params.setdefault("param_grid" if "Grid" in short else "param_distributions",
                                      self.scope.value(call.args[1]))
        for keyword in MEMBER_PARAMETERS:
            node = next((k.value for k in call.keywords if k.arg == keyword), None)
            if node is not None:
                params.pop(keyword, None)
                described["estimator"] = self._member(node, depth)
        keyword = NAMED_MEMBERS.get(short, "steps")
        if not described.get("steps") and keyword in params:
            node = next(k.value for k in call.keywords if k.arg == keyword)
            params.pop(keyword)
            described["steps"] = self._named_steps(node, depth)
        if short not in NAMED_MEMBERS and call.args and "steps" not in described and "estimator" not in described:
            self._positional(call, library, short, described, params, depth)
        described["params"] = params
        return described

    def _positional(self, call: ast.Call, library: Optional[str], short: str, described: dict[str, Any],
                    params: dict[str, Any], depth: int) -> None:
        """Positional arguments by their parameter's name where the class's are known (positional_params.py): a
        model given the same value by keyword or by position is the same decision; otherwise as `args`."""
        names = POSITIONAL_PARAMETERS.get(short) if library == LIBRARY else None
        if names is None or len(call.args) > len(names):
            params["args"] = [self.scope.value(a) for a in call.args]
            return
        keywords = dict(params)
        params.clear()  # in the order written: the positional arguments first
        for name, node in zip(names, call.args):
            if name in MEMBER_PARAMETERS:
                described["estimator"] = self._member(node, depth)
            else:
                params[name] = self.scope.value(node)
        params.update(keywords)

    def _member(self, node: ast.AST, depth: int) -> Any:
        if isinstance(node, ast.Name) and node.id in self.scope.calls:
            node = self.scope.calls[node.id]
        if isinstance(node, ast.Call):
            return self.estimator(node, depth + 1)
        return self.scope.value(node)

    def _named_steps(self, node: ast.AST, depth: int) -> Any:
        if isinstance(node, ast.Name) and not is_missing(self.scope.literal(node)):
            return self.scope.value(node)
        if not isinstance(node, (ast.List, ast.Tuple)):
            return text(node)
        steps = []
        for element in node.elts:
            if isinstance(element, ast.Tuple) and len(element.elts) >= 2:
                name = self.scope.value(element.elts[0])
                steps.append({"name": name, **_as_dict(self._member(element.elts[1], depth))})
            else:
                steps.append(_as_dict(self._member(element, depth)))
        return steps


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {"expr": value}
