"""Experiment questions answered INSIDE the user's kernel, only when the sidecar asks.

Like the runtime probe (kernel/probe/), this file's text is sent to the kernel and executed into a private module
(`_trackit_experiments` in sys.modules), so it imports nothing from trackit_sidecar, only the standard
library, and adds no name to the user's namespace. Unlike the probe it installs no hook: nothing here
runs per cell. The sidecar calls it through a silent user_expression after a cell it knows evaluates or
fits a model (kernel/experiments.py), so the per-cell capture cost is unchanged.

- environment_json(): the interpreter, its sys.path and the values of the three environment variables
  that matter for reproducibility (no other variable is read). Package listing is NOT done here: the
  sidecar runs it in a subprocess of this interpreter, off the kernel's thread.
- values_json(count, metric_names, model_names): metric values (numbers, arrays as mean/std/n,
  classification_report dicts flattened) and model fingerprints (class, parameters, sha256 of the fitted
  state through a stable serialisation: arrays as dtype + shape + bytes, trees through their state).
  A name re-bound by a cell that ran after `count` is reported "stale": the value would not be the one
  that cell produced.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import sys
import time

MODULE_NAME = "_trackit_experiments"
ENV_NAMES = ("PYTHONHASHSEED", "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS")
MAX_PARAM_REPR = 200
MAX_DEPTH = 6
# fitted attributes that change between identical fits (timings: "*time*", "cv_results_") are never part of
# the state hash (_feed_model)
_REFITS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict", "set_params"})


def _shell():
    try:
        return __import__("IPython").get_ipython()
    except Exception:
        return None


# ------------------------------------------------------------------ environment
def environment_json() -> str:
    import os
    import platform

    started = time.perf_counter()
    return json.dumps({
        "executable": sys.executable,
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "sys_path": [p for p in sys.path if isinstance(p, str)],
        "env": {name: os.environ[name] for name in ENV_NAMES if name in os.environ},
        "pid": os.getpid(),
        "cwd": os.getcwd(),
        "ms": (time.perf_counter() - started) * 1000.0,
    })


# ------------------------------------------------------------------ staleness
def _bound_names(source: str) -> set:
    try:
        tree = ast.parse(source)
    except Exception:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REFITS
              and isinstance(node.func.value, ast.Name)):
            names.add(node.func.value.id)  # model.fit(...) later changes the model in place
    return names


def _rebound_since(count: int) -> tuple:
    """(names bound by cells after `count`, the latest execution count)."""
    shell = _shell()
    if shell is None:
        return set(), None
    last = int(getattr(shell, "execution_count", 1) or 1) - 1
    history = getattr(getattr(shell, "history_manager", None), "input_hist_parsed", None) or []
    names = set()
    for k in range(count + 1, last + 1):
        if k < len(history):
            names |= _bound_names(history[k])
    return names, last


# ------------------------------------------------------------------ values
def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.generic) and value.shape == ():
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None
    return None


def _flatten(mapping, prefix="", out=None, depth=0):
    out = {} if out is None else out
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        number = _number(value)
        if number is not None:
            out[name] = number
        elif isinstance(value, dict) and depth < 3:
            _flatten(value, name + ".", out, depth + 1)
        else:
            summary = _array(value)
            if summary is not None:
                out[name] = summary["mean"]
    return out


def _array(value):
    np = sys.modules.get("numpy")
    values = None
    if np is not None and isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iuf":
        values = [float(v) for v in value.tolist()]
    elif isinstance(value, (list, tuple)) and value and all(_number(v) is not None for v in value):
        values = [_number(v) for v in value]
    if not values or not all(math.isfinite(v) for v in values):
        return None
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))  # numpy's default (ddof=0)
    return {"kind": "array", "mean": mean, "std": std, "n": len(values)}


def describe_value(value):
    number = _number(value)
    if number is not None:
        return {"kind": "number", "value": number}
    summary = _array(value)
    if summary is not None:
        return summary
    if isinstance(value, dict):
        return {"kind": "mapping", "items": _flatten(value)}
    return {"kind": "other", "type": type(value).__name__}


# ------------------------------------------------------------------ models
def _is_model(obj) -> bool:
    if isinstance(obj, type):
        return False
    if callable(getattr(obj, "get_params", None)) and (callable(getattr(obj, "fit", None))):
        return True
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.nn.Module)


def _param(value, depth=0):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)) and depth < 3:
        return [_param(v, depth + 1) for v in value]
    if isinstance(value, dict) and depth < 3:
        return {str(k): _param(v, depth + 1) for k, v in value.items()}
    if _is_model(value):
        return type(value).__name__ + "()"
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    text = repr(value)
    return text if len(text) <= MAX_PARAM_REPR else text[:MAX_PARAM_REPR] + "…"


def _feed(h, value, depth=0) -> None:
    """Stable bytes for a fitted value: same state -> same bytes, whatever the object ids or dict order."""
    np = sys.modules.get("numpy")
    if depth > MAX_DEPTH:
        h.update(b"<deep>")
        return
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        h.update(type(value).__name__.encode() + b":" + repr(value).encode("utf-8", "replace") + b";")
    elif np is not None and isinstance(value, np.ndarray):
        h.update(f"nd:{value.dtype.str}:{value.shape};".encode())
        if value.dtype.kind == "O" or value.dtype.fields is not None and any(
                value.dtype.fields[f][0].kind == "O" for f in value.dtype.fields):
            for item in value.ravel().tolist():
                _feed(h, item, depth + 1)
        else:
            h.update(np.ascontiguousarray(value).tobytes())
    elif np is not None and isinstance(value, np.generic):
        h.update(f"np:{value.dtype.str}:".encode() + value.tobytes())
    elif isinstance(value, (list, tuple)):
        h.update(f"seq{len(value)}[".encode())
        for item in value:
            _feed(h, item, depth + 1)
        h.update(b"]")
    elif isinstance(value, dict):
        h.update(f"map{len(value)}{{".encode())
        for key in sorted(value, key=repr):
            _feed(h, key, depth + 1)
            _feed(h, value[key], depth + 1)
        h.update(b"}")
    elif _is_model(value):
        _feed_model(h, value, depth + 1)
    elif hasattr(value, "__getstate__") and type(value).__module__.startswith("sklearn"):
        state = value.__getstate__()  # sklearn's Tree: nodes and values as arrays
        _feed(h, state if isinstance(state, dict) else repr(state), depth + 1)
    else:
        h.update(b"obj:" + type(value).__qualname__.encode())


def _feed_model(h, model, depth=0) -> None:
    torch = sys.modules.get("torch")
    h.update(b"model:" + type(model).__qualname__.encode())
    if torch is not None and isinstance(model, torch.nn.Module):
        for key, tensor in sorted(model.state_dict().items()):
            _feed(h, key, depth)
            _feed(h, tensor.detach().cpu().numpy(), depth)
        return
    steps = getattr(model, "steps", None)
    if isinstance(steps, list):  # Pipeline: the fitted state lives in its members
        for step in steps:
            _feed(h, step, depth)
    for name in sorted(vars(model)):
        if name[-1:] == "_" and name[:1] != "_" and "time" not in name and name != "cv_results_":
            _feed(h, name, depth)
            _feed(h, getattr(model, name), depth)


def _fitted(model) -> bool:
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(model, torch.nn.Module):
        return True
    return any(n.endswith("_") and not n.startswith("_") for n in vars(model)) or isinstance(
        getattr(model, "steps", None), list)


def describe_model(model):
    cls = type(model)
    out = {"kind": "model", "class": f"{cls.__module__}.{cls.__qualname__}"}
    try:
        params = model.get_params(deep=False) if callable(getattr(model, "get_params", None)) else {}
        out["params"] = {str(k): _param(v) for k, v in sorted(params.items())}
    except Exception as error:
        out["params_error"] = f"{type(error).__name__}: {error}"[:200]
    if _fitted(model):
        h = hashlib.sha256()
        try:
            _feed_model(h, model)
            out["state_sha256"] = h.hexdigest()
        except Exception as error:
            out["state_error"] = f"{type(error).__name__}: {error}"[:200]
    best = getattr(model, "best_params_", None)
    if isinstance(best, dict):
        out["best_params"] = {str(k): _param(v) for k, v in best.items()}
    score = _number(getattr(model, "best_score_", None))
    if score is not None:
        out["best_score"] = score
    return out


# ------------------------------------------------------------------ the entry point
def values_json(count: int, metric_names, model_names) -> str:
    started = time.perf_counter()
    shell = _shell()
    namespace = getattr(shell, "user_ns", {}) or {}
    stale, last = _rebound_since(int(count))
    values, models = {}, {}
    for name in metric_names:
        if name in stale:
            values[name] = {"kind": "stale"}
        elif name in namespace:
            try:
                values[name] = describe_value(namespace[name])
            except Exception as error:
                values[name] = {"kind": "error", "error": f"{type(error).__name__}: {error}"[:200]}
    for name in model_names:
        if name in stale:
            models[name] = {"kind": "stale"}
        elif name in namespace and _is_model(namespace[name]):
            try:
                models[name] = describe_model(namespace[name])
            except Exception as error:
                models[name] = {"kind": "error", "error": f"{type(error).__name__}: {error}"[:200]}
    return json.dumps({"count": int(count), "last_count": last, "values": values, "models": models,
                       "ms": (time.perf_counter() - started) * 1000.0})
