"""Names of notebook functions that say they make the data set, whatever model word is in them.

A course notebook simulates its data in a function of its own and names it for the data it makes
(`generate_linear_regression_data(n, d, coef)`, `make_classification_data(n)`, `simulate_logistic_data(...)`): the
model word (`regression`, `logistic`) names the kind of data, not a fit. When the body returns what it drew at random,
the call is a `load` (CONVENTIONS 4c: "notebook functions that return generated data: label the call as `load`";
28: a statement that draws random numbers for generated data is `load`), before kb.models.ALGORITHM_NAME_OPS reads
the model word as fit_model. Matched against the function's name in snake_case (camelCase split).
"""

from __future__ import annotations

GENERATED_DATA_FUNCTION_NAME = (r"^(generate|gen|make|simulate|sim|create|synthesi[sz]e|sample|draw)_(\w+_)?"
                                r"(data|dataset|datasets|samples|points|observations|obs|xy|x_y)$")
