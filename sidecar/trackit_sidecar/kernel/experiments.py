"""The sidecar's side of experiment questions to a kernel: every request is one silent user_expression.

The in-kernel code (experiment_probe.py) is installed into a private module on first use, like the
runtime probe (silent_requests.py explains the silent-request mechanics). Nothing here runs package listing or
git: those run in the sidecar (experiments/stamps.py), never on the kernel's thread.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any, Callable, Optional

from . import experiment_probe
from .silent_requests import ProbeError, silent_expressions

Ask = Callable[[dict[str, str], float], dict[str, Any]]  # expressions -> parsed values (or ProbeError)
DEFAULT_TIMEOUT = 5.0

_BOOT = """
import sys, types
module = sys.modules.get(NAME)
if module is None or getattr(module, "SOURCE_SHA", None) != SHA:
    module = types.ModuleType(NAME)
    module.__file__ = "<trackit-experiments>"
    exec(compile(SRC, "<trackit-experiments>", "exec"), module.__dict__)
    module.SOURCE_SHA = SHA
    sys.modules[NAME] = module
RESULT = "installed"
"""


@functools.lru_cache(maxsize=1)
def install_expression() -> str:
    source = Path(experiment_probe.__file__).read_text(encoding="utf-8")
    sha = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    env = {"SRC": source, "NAME": experiment_probe.MODULE_NAME, "SHA": sha}
    return f"(lambda g: (exec({_BOOT!r}, g), g['RESULT'])[1])({env!r})"


def _call(function: str, *args: Any) -> str:
    rendered = ", ".join(repr(a) for a in args)
    return f"__import__('sys').modules[{experiment_probe.MODULE_NAME!r}].{function}({rendered})"


def client_ask(client) -> Ask:
    """An Ask over a jupyter_client client (the caller owns the client and its thread)."""
    return lambda expressions, timeout: silent_expressions(client, expressions, timeout)


def _one(ask: Ask, expression: str, timeout: float) -> Any:
    """Evaluate with the module installed first if it is missing (one extra round trip, once per kernel)."""
    value = ask({"v": expression}, timeout)["v"]
    if isinstance(value, ProbeError) and "KeyError" in str(value):
        installed = ask({"i": install_expression()}, timeout)["i"]
        if isinstance(installed, ProbeError):
            raise installed
        value = ask({"v": expression}, timeout)["v"]
    if isinstance(value, ProbeError):
        raise value
    return value


def kernel_environment(ask: Ask, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """{executable, python_version, python_implementation, sys_path, env, pid, cwd} of the kernel."""
    return json.loads(_one(ask, _call("environment_json"), timeout))


def experiment_values(ask: Ask, execution_count: int, metric_names: list[str], model_names: list[str],
                      timeout: float = DEFAULT_TIMEOUT) -> Optional[dict[str, Any]]:
    """{count, last_count, values: {name: ...}, models: {name: ...}, ms} or None when there is nothing to ask."""
    if not metric_names and not model_names:
        return None
    expression = _call("values_json", int(execution_count), list(metric_names), list(model_names))
    return json.loads(_one(ask, expression, timeout))
