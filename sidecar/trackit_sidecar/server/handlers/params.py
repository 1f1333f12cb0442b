"""Request params in, a validated protocol model out, or the JSON-RPC error the editor should see."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pygls.exceptions import JsonRpcInvalidParams

M = TypeVar("M", bound=BaseModel)


def parse_params(model: type[M], params: Any) -> M:
    if not isinstance(params, dict):
        raise JsonRpcInvalidParams(f"expected an object of {model.__name__}, got {type(params).__name__}")
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise JsonRpcInvalidParams(f"invalid {model.__name__}: {where}: {first.get('msg')}") from None
