"""Functions the notebook cannot see that make its data (pure functions over `ast`).

`from mmm.simulation import make_daily_data; df = make_daily_data(n_days=365, features_loc=loc)`: a helper of the
project (not a published library, function_calls.py decides that), named for the data it makes
(kb/data_maker_names.py, the table the same function written in the notebook is read by, definitions.py) and handed no
data but its parameters, set by name, returns data created in code: a `load` (what-is-a-step.md, Sources: "synthetic
data (... a user function that returns generated data)"; CONVENTIONS 4b: an imported helper is a black box labelled by
what it does; 4c). Handed data as the thing it works on (`make_model_data(raw)`, `make_model_data(data=raw)`) it
transforms that data and makes none.
"""

from __future__ import annotations

import ast

from ..kb import sources as kb_sources
from .definitions import GENERATED_DATA_NAME, snake_case


def makes_data(name: str, node: ast.Call, inputs: list[str]) -> bool:
    """`name` says the function makes data and none of the data names `inputs` is handed to `node` as its subject."""
    return bool(GENERATED_DATA_NAME.search(snake_case(name))) and not handed_as_subject(node, inputs)


def handed_as_subject(node: ast.Call, inputs: list[str]) -> bool:
    """One of the data names `inputs` is handed to the call as the thing it works on: a positional argument (`f(df)`,
    `f(*parts)`) or a data keyword (`f(data=df)`, kb.sources.CONSTRUCTOR_DATA_KEYWORDS), rather than only as a
    parameter set by name (`f(coef=coef)`)."""
    subjects = list(node.args) + [k.value for k in node.keywords if k.arg in kb_sources.CONSTRUCTOR_DATA_KEYWORDS]
    return any(isinstance(sub, ast.Name) and sub.id in inputs for arg in subjects for sub in ast.walk(arg))
