"""Which column labels a subscript key or a list names (`df["a"]`, `df[["a", "b"]]`, `df.columns[1:]`,
`num_cols + cat_cols`), and whether it names one column or a list of them."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import pandas as kb_pandas
from .bindings import LABEL_KEY, VALUE_LABELS
from .env_markers import ANSWER_MARKER, COLUMN_LABELS, LISTED_STRINGS, LITERAL_MARKER, LOOP_STRING
from .values import str_const, str_list, union

# kinds of a table whose `[label]` is a column (pandas' and polars' frames), not an array's row
TABLE_KINDS = frozenset({"pandas.DataFrame()", "polars.DataFrame()"})


class ColumnLabelRules:
    """Mixin of `Cell`: the column labels a key names (`_slice_columns`, `names_column_labels`)."""

    env: dict[str, str]

    @staticmethod
    def _positional_columns_slice(node: ast.AST) -> bool:
        """df.iloc[:, :-1] / df.iloc[:, 3] / df.loc[:, "a":"c"]: columns by position or range."""
        if isinstance(node, ast.Slice):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            return True
        if is_index_expression(node):
            return True  # df.iloc[:, np.r_[1:7, 11, 13:17]]: several ranges of positions joined
        return isinstance(node, (ast.List, ast.Tuple)) and bool(node.elts) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts)

    def _is_single_column_name(self, node: ast.AST, kind: Optional[str] = None) -> bool:
        if isinstance(node, ast.Name):
            marker = self.env.get(node.id, "")
            if marker == ANSWER_MARKER and self.env.get(LABEL_KEY + node.id) and kind in TABLE_KINDS:
                # y = df[target] after target = "SalePrice": a table indexed by one label written in the code is that
                # column (CONVENTIONS 18: "a single column that ends the assigned expression (`y = df['target']`)"),
                # as with the label written in place; not an index computed (`df[s.sort_values().index]`), nor an
                # array's row (`X[i]`)
                return True
            return marker.startswith(LOOP_STRING) or (not marker and node.id not in self.env)
        return False

    def names_column_labels(self, node: ast.AST) -> bool:
        """Labels taken from a frame's own columns: `df.columns[1:]`, `df.columns.drop("y")`,
        `df.select_dtypes("number").columns`, or a name bound to such labels (COLUMN_LABELS)."""
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") == COLUMN_LABELS
        while True:
            if isinstance(node, ast.Subscript):
                node = node.value  # df.columns[1:], df.columns[mask]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in kb_pandas.COLUMN_LABEL_METHODS:
                node = node.func.value  # df.columns.drop("y")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" \
                    and len(node.args) == 1:
                node = node.args[0]
            else:
                break
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") == COLUMN_LABELS  # cols.drop("y") with cols = df.columns: labels
        return isinstance(node, ast.Attribute) and node.attr == "columns" and bool(self.expr(node.value).inputs)

    def _names_column_list(self, node: ast.AST) -> bool:
        if self.names_column_labels(node):
            return True  # df[df.columns[1:]], df[num_cols] with num_cols = df.select_dtypes("number").columns
        if isinstance(node, ast.Compare) and self.names_column_labels(node.left):
            return True  # df.loc[:, df.columns != "y"]: the columns picked by a condition on their labels
        if isinstance(node, ast.Name):  # cols = ["a", "b"], or a list written in code used to pick columns
            # (or cols = meta.name.unique().tolist(): values of data made labels, bindings.VALUE_LABELS)
            return self.env.get(node.id, "").startswith((LISTED_STRINGS, LITERAL_MARKER,
                                                         VALUE_LABELS))
        if isinstance(node, (ast.List, ast.Tuple)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list":
            return True
        if isinstance(node, ast.BinOp):  # num_cols + cat_cols
            return self._names_column_list(node.left) or self._names_column_list(node.right)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            return self._names_column_list(node.value)  # X[num_cols[:10]]: part of a list of names
        if isinstance(node, ast.ListComp) and node.generators \
                and all(self.names_column_labels(gen.iter) or self._names_column_list(gen.iter)
                        for gen in node.generators):
            return True  # df[[c for c in df.columns if c != "geoid"]]: the labels a test keeps, columns picked
        return False

    def adds_name_lists(self, value: ast.BinOp) -> bool:
        """`num_attribs + extra_attribs + cat_attribs`, `list(df) + ["y"]`: lists joined with `+` where one is a list of
        column names (written in the code, bound to names, or a frame's own labels): a longer list of names
        (CONVENTIONS 15: "column-name lists (also when computed)" are no step), not arithmetic on data."""
        terms: list[ast.AST] = []
        pending: list[ast.AST] = [value]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                pending.extend((node.left, node.right))
            else:
                terms.append(node)
        return len(terms) >= 2 and any(self._names_labels(term) for term in terms)

    def _names_labels(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" \
                and len(node.args) == 1 and str_list(node.args[0]):
            node = node.args[0]  # list(["a", "b"])
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "").startswith(LISTED_STRINGS)
        return bool(str_list(node)) or self.names_column_labels(node)

    def _slice_columns(self, node: Optional[ast.AST]) -> list[str]:
        if node is None:
            return []
        single = str_const(node)
        if single is not None:
            return [single]
        many = str_list(node)
        if many is not None:
            return many
        if isinstance(node, ast.Name):
            marker = self.env.get(node.id, "")
            if marker.startswith((LISTED_STRINGS, LOOP_STRING)):
                return marker.split(":", 2)[2].split(",")
        if isinstance(node, ast.BinOp):
            return union(self._slice_columns(node.left), self._slice_columns(node.right))
        return []


def is_index_expression(node: ast.AST) -> bool:
    """`np.r_[0:15, 19:25]`: NumPy's index trick, positions of several ranges (and single positions) joined in one
    array."""
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "r_" \
        and isinstance(node.value.value, ast.Name)
