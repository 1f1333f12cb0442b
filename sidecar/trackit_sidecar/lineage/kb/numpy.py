"""numpy operations (module functions and ndarray methods)."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {
    "load": "load",
    "loadtxt": "load",
    "genfromtxt": "load",
    "fromfile": "load",
    "concatenate": "concat",
    "vstack": "concat",
    "hstack": "concat",
    "column_stack": "concat",
    "row_stack": "concat",
    "dstack": "concat",
    "stack": "concat",
    "append": "concat",
    "c_": "concat",
    "r_": "concat",
    "reshape": "reshape",
    "transpose": "reshape",
    "ravel": "reshape",
    "swapaxes": "reshape",
    "moveaxis": "reshape",
    "expand_dims": "reshape",
    "squeeze": "reshape",
    "sort": "sort",
    "unique": None,  # an answer (kb.display.ANSWER_FUNCTIONS)
    "nan_to_num": "impute_missing",
    "clip": "outlier_remove",
    "where": "derive_feature",
    "select": "derive_feature",
    "log": "derive_feature",
    "log1p": "derive_feature",
    "log2": "derive_feature",
    "log10": "derive_feature",
    "exp": "derive_feature",
    "sqrt": "derive_feature",
    "digitize": "derive_feature",
    "random.choice": "sample",
    "random.permutation": "sample",
    "random.shuffle": "sample",
    "array": None,
    "asarray": None,
    "zeros": None,
    "ones": None,
    "arange": None,
    "linspace": None,
    "save": "other",
    "savetxt": "other",
}

METHODS: dict[str, str | None] = {
    "reshape": "reshape",
    "transpose": "reshape",
    "flatten": "reshape",
    "ravel": "reshape",
    "squeeze": "reshape",
    "swapaxes": "reshape",
    "astype": "type_cast",
    "sort": "sort",
    "clip": "outlier_remove",
    "copy": None,
    "tolist": None,
}

# Methods whose op depends on how they are called (see pandas.CONTESTED_METHODS).
CONTESTED_METHODS: dict[str, tuple[str, dict[str, str | None]]] = {
    "astype": ("cast_target", {"category": "encode_categorical", "computed_value": None}),
}
