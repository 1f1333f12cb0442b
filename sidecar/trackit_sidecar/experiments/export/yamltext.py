"""A small deterministic YAML writer for plain JSON-like data (config_resolved.yaml).

Every string is written double-quoted with JSON escapes (valid YAML 1.2), keys in the order given, so the
same tree always gives the same bytes and no value can be misread (`no`, `1e3`, `null`, `: `).
"""

from __future__ import annotations

import json
from typing import Any


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def dump(value: Any, indent: int = 0) -> str:
    return "".join(_lines(value, indent))


def _lines(value: Any, indent: int):
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            yield f"{pad}{{}}\n"
            return
        for key, item in value.items():
            head = f"{pad}{_scalar(str(key))}:"
            if isinstance(item, (dict, list)) and item:
                yield head + "\n"
                yield from _lines(item, indent + 2)
            else:
                yield f"{head} {_inline(item)}\n"
    elif isinstance(value, list):
        if not value:
            yield f"{pad}[]\n"
            return
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = "".join(_lines(item, indent + 2))
                yield f"{pad}- {nested.lstrip()}"
            else:
                yield f"{pad}- {_inline(item)}\n"
    else:
        yield f"{pad}{_scalar(value)}\n"


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)
