"""The probe as the kernel gets it, and the expressions that call it (pure): the probe package's modules as sources in
the order the kernel builds them (probe_modules, with the sidecar's table of in-place methods run into TABLES_MODULE
first), the boot code that builds them into private modules, the install / facts / push / stats expressions the
sidecar evaluates silently (silent_requests.py), and the facts answer parsed."""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from .. import protocol
from ..lineage.kb import python as kb_python
from . import probe as probe_module


# The probe's modules are built in order, the package itself first (empty until its own source runs last: the modules
# import each other relatively, through it); a failed build leaves no half-made module behind (the old probe, already
# uninstalled, stays until the next install tries again).
_BOOT = """
import sys, types
package = sys.modules.get(NAME)
if package is None or getattr(package, "SOURCE_SHA", None) != SHA:
    if package is not None and hasattr(package, "uninstall"):
        package.uninstall()
    for stale in [key for key in sys.modules if key.startswith(NAME + ".")]:
        del sys.modules[stale]
    made = types.ModuleType(NAME)
    made.__file__, made.__package__, made.__path__ = "<trackit-probe>", NAME, []
    sys.modules[NAME] = made
    try:
        for name, sources in MODULES:
            module = made
            if name:
                module = types.ModuleType(NAME + "." + name)
                module.__file__, module.__package__ = "<trackit-probe/" + name + ">", NAME
                sys.modules[module.__name__] = module
                setattr(made, name, module)
            for source in sources:
                exec(compile(source, module.__file__, "exec"), module.__dict__)
    except BaseException:
        for key in [key for key in sys.modules if key == NAME or key.startswith(NAME + ".")]:
            del sys.modules[key]
        if package is not None:
            sys.modules[NAME] = package
        raise
    made.SOURCE_SHA = SHA
    package = made
RESULT = package.install(__import__("IPython").get_ipython())
"""


def probe_modules(location: str | Path | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The probe as the kernel runs it: (module name in the package, "" for the package itself; the sources run into
    it, in order), in the order they are built. `location`: another build's probe (a bench baseline), its probe
    package's directory or the single probe.py of builds before the package; by default this sidecar's."""
    tables = probe_tables_source()
    location = Path(probe_module.__file__).parent if location is None else Path(location)
    if location.is_file():
        return (("", (tables, location.read_text(encoding="utf-8"))),)
    root = (location / "__init__.py").read_text(encoding="utf-8")
    declared = _declared(root, "MODULES", "TABLES_MODULE")
    return (*((name, ((tables,) if name == declared["TABLES_MODULE"] else ())
               + ((location / f"{name}.py").read_text(encoding="utf-8"),)) for name in declared["MODULES"]),
            ("", (root,)))


def _declared(source: str, *names: str) -> dict[str, Any]:
    """The literal values a module's source assigns to these names at top level (read, not run: another build's)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in names:
            found[node.targets[0].id] = ast.literal_eval(node.value)
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"the probe package declares no {', '.join(missing)}")
    return found


def probe_tables_source() -> str:
    """lineage/kb/python.py: the probe's table of in-place methods is the sidecar's own (one definition)."""
    return Path(kb_python.__file__).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def install_expression() -> str:
    """An expression that installs the probe into private modules and returns 'installed'/'already'.

    exec() runs the boot code in a fresh dict, so nothing lands in the user's namespace.
    """
    modules = probe_modules()
    # keyed by the sources' hash: a sidecar upgraded while the kernel lives replaces the probe
    sha = hashlib.sha256(repr(modules).encode("utf-8")).hexdigest()[:16]
    env = {"MODULES": modules, "NAME": probe_module.MODULE_NAME, "SHA": sha}
    return f"(lambda g: (exec({_BOOT!r}, g), g['RESULT'])[1])({env!r})"


def facts_expression(execution_count: int) -> str:
    return f"__import__('sys').modules[{probe_module.MODULE_NAME!r}].facts_json({int(execution_count)})"


def push_expression(path: str) -> str:
    return f"__import__('sys').modules[{probe_module.MODULE_NAME!r}].push_to({str(path)!r})"


def stats_expression() -> str:
    return f"__import__('sys').modules[{probe_module.MODULE_NAME!r}].stats_json()"



def parse_facts(payload: str) -> tuple[list[protocol.RuntimeFacts], float | None, bool]:
    """facts_json output -> (facts, capture_ms, known)."""
    data = json.loads(payload)
    facts = [protocol.RuntimeFacts.model_validate(item) for item in data.get("facts", [])]
    return facts, data.get("capture_ms"), bool(data.get("known"))
