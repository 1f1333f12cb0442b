"""The step classifier, split by job. `lineage/steps.py` is its public face and states the rules.

- values.py              the value model (`Val`, `Op`) and AST helpers
- walker.py              statements, assignments, bindings carried to later cells, emitting `Step`s
- expressions.py         names, attributes, subscripts (selections and filters by subscript)
- masks.py               masks, outlier bounds, standardisation shapes
- calls.py               functions and frame methods by library table, contested methods by named rule
- column_expressions.py  with_columns / assign expressions
- sklearn_rules.py       estimators, transformers, composites, splitters
- rules.py               the named rules that decide contested methods (kb CONTESTED_METHODS)
- cell.py                `Cell` (all of the above) and `classify_cell`
"""
