"""How the protocol module is made: every `trackit` command and the sidecar import it at start."""

from pydantic import BaseModel

from trackit_sidecar import protocol as p


def _models() -> list[type[BaseModel]]:
    return [value for value in vars(p).values()
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == p.__name__]


def test_the_models_annotations_are_evaluated_once_not_kept_as_strings_for_pydantic_to_evaluate():
    # as strings (`from __future__ import annotations`), pydantic compiled and evaluated each one again when it made the
    # model: ~620 compiles, a quarter of importing the module
    models = _models()
    assert len(models) > 80
    as_text = {f"{model.__name__}.{name}": annotation for model in models
               for name, annotation in vars(model).get("__annotations__", {}).items() if isinstance(annotation, str)}
    assert as_text == {}
