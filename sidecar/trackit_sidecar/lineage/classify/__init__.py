"""The step classifier, split by job. `lineage/steps.py` is its public face and states the rules.

- values.py              the value model (`Val`, `Op`) and AST helpers
- walker.py              statements in order, each kind to its mixin below; imports, returns, control flow
- assignments.py         assignments to names and attributes (`x = ...`, `x += ...`)
- column_assignment.py   assignments into columns and rows (`df["c"] = ...`, `df.loc[m, "c"] = ...`)
- expression_statements.py  bare expressions: what is only shown, what stays a step
- definitions.py         `def` / `class`: a body classified where written, or its calls the step
- bindings.py            what a name is bound to, carried in `env` to later statements and cells
- step_emitter.py        a statement's ops made `Step`s (`emit`)
- statement_shapes.py    pure tests of AST shapes that decide what an assignment is
- expressions.py         names, attributes, arithmetic and comparisons (`expr`)
- subscripts.py          subscripts: the filters, selections, sorts and samples they make
- column_labels.py       which column labels a subscript key or a list names
- masks.py               masks, outlier bounds, standardisation shapes
- calls.py               calls, each kind to its mixin below; drawing calls, arguments
- function_calls.py      module and notebook functions by library table or name
- method_calls.py        method calls: plots, readers, SQL, pipe, shown results
- library_methods.py     a method by receiver and library table, contested methods by named rule
- call_details.py        details a call's step keeps (columns, load path, join key, fill statistic)
- method_shapes.py       pure tests of AST shapes that decide what a method call does
- column_expressions.py  with_columns / assign expressions
- sklearn_rules.py       estimators, transformers, composites, splitters
- rules.py               the named rules that decide contested methods (kb CONTESTED_METHODS)
- applied_functions.py   what a function given to map / apply / transform does to each value
- value_assignment.py    what putting a value into part of data does (kb VALUE_ASSIGNMENT)
- missing_values.py      missing values as written and tests of missingness
- cell.py                `Cell` (all of the above) and `classify_cell`
"""
