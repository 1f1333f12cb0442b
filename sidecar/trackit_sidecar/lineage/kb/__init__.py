"""Knowledge base of data operations, one table per library.

Each library module exposes plain data (dicts / tuples), never logic, so adding an
operation is a one-line change. `steps.py` is the only reader. Table shapes:

- FUNCTIONS: name relative to the library root ("read_csv", "random.choice") -> op
- METHODS: method name called on a value of that library (a frame, an array) -> op
- ACCESSORS: accessor ("str", "dt", "cat") -> {method -> op}
- sklearn has class tables instead (see sklearn.py).

An op of None means "known, deliberately not a step" (e.g. `.copy()`, `.lazy()`),
which keeps the method from falling through to another library's table.
"""

from __future__ import annotations

from . import numpy, pandas, polars, seaborn, sklearn

LIBRARIES = {"pandas": pandas, "numpy": numpy, "polars": polars, "sklearn": sklearn, "seaborn": seaborn}

# Aliases assumed when a cell uses them without an import we saw (a notebook whose
# import cell was never analysed, or `%run setup.py`).
CONVENTIONAL_ALIASES = {
    "pd": "pandas",
    "np": "numpy",
    "pl": "polars",
    "sns": "seaborn",
    "plt": "matplotlib.pyplot",
    "sk": "sklearn",
}

__all__ = ["LIBRARIES", "CONVENTIONAL_ALIASES", "numpy", "pandas", "polars", "seaborn", "sklearn"]
