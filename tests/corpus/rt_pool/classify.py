"""Turn what kernel_probe.py measured into pool candidates: pure functions over the measured records."""
from __future__ import annotations

import ast

# A shown value that only looks at the data: not a candidate whatever its size.
INSPECTION_METHODS = {"head", "tail", "info", "describe", "sample", "plot", "hist", "boxplot", "scatter",
                      "to_string", "to_csv", "to_excel", "savefig", "show"}
INSPECTION_ATTRIBUTES = {"shape", "dtypes", "columns", "index", "values", "T", "size", "ndim", "empty"}
INSPECTION_FUNCTIONS = {"print", "display", "len", "type", "help", "dir", "list", "sorted"}
# Calls whose shown result the definition names as looking at data (what-is-a-step.md, "Inspection"); such a
# shown value stays in the pool, marked, as the case a runtime rule must not turn into a step.
DEFINED_INSPECTION_CALLS = {"isnull", "isna", "notnull", "notna", "value_counts", "unique", "nunique",
                            "duplicated", "count", "memory_usage"}


def _rows(shape: dict | None) -> int | None:
    if not shape or "error" in shape:
        return None
    return shape.get("rows")


def _same_columns(before: dict, after: dict) -> bool:
    return before.get("cols") == after.get("cols") and before.get("columns_hash") == after.get("columns_hash")


def record_kind(record: dict) -> str | None:
    """Kind of a measured row-selecting statement, or None when either side could not be measured."""
    before, after = record.get("before"), record.get("after")
    rows_before, rows_after = _rows(before), _rows(after)
    if rows_before is None or rows_after is None:
        return None
    same_rows = rows_before == rows_after
    same_columns = _same_columns(before, after)
    op, form = record["op"], record["form"]
    if before.get("cols") is not None and after.get("cols") is None:
        return None  # one row or one column picked out of a table (`df.loc[2]`): neither filter nor drop
    if op in ("dropna", "drop_duplicates"):
        if not same_rows:
            return f"{op}-removed-rows"
        return f"{op}-removed-nothing" if same_columns else f"{op}-dropped-columns"
    if op.endswith("-columns") or (same_rows and not same_columns):
        return "column-select-same-rows"  # `.loc[:, cols]` keeps every row by construction
    if form in ("rebind", "inplace"):
        return "rebind-filter-kept-all" if same_rows else "rebind-filter-removed-rows"
    if form == "new-name":
        return "new-name-same-rows" if same_rows else "new-name-filter-removed-rows"
    return "displayed-filter-same-rows" if same_rows else "displayed-filter-removed-rows"


def _is_inspection(expr: ast.expr) -> bool:
    if isinstance(expr, (ast.Name, ast.Constant)):
        return True
    if isinstance(expr, ast.Attribute):
        return expr.attr in INSPECTION_ATTRIBUTES
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Name):
            return func.id in INSPECTION_FUNCTIONS
        if isinstance(func, ast.Attribute):
            root = func
            while isinstance(root, ast.Attribute):
                root = root.value
            plotting = isinstance(root, ast.Name) and root.id in ("plt", "sns", "px", "alt")
            return plotting or func.attr in INSPECTION_METHODS or func.attr.startswith("plot")
    return False


def inspection_call(expr_source: str) -> str | None:
    """The first call of a shown expression's chain that the definition calls inspection, if any."""
    try:
        node = ast.parse(expr_source, mode="eval").body
    except SyntaxError:
        return None
    for inner in ast.walk(node):
        if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in DEFINED_INSPECTION_CALLS):
            return inner.func.attr
    return None


def shown_kind(shown: dict) -> str | None:
    """`displayed-scalar` / `displayed-table` for a cell's shown last expression, None for plain inspection."""
    try:
        expr = ast.parse(shown["expr"], mode="eval").body
    except SyntaxError:
        return None
    if _is_inspection(expr):
        return None
    value = shown.get("value") or {}
    if value.get("scalar"):
        return "displayed-scalar"
    if value.get("rows") is not None:
        return "displayed-table"
    return None


def rerun_worthy_cells(measured: dict) -> list[int]:
    """Code cells whose rebinding filter or in-place drop removed rows: run again, they may keep every row."""
    return sorted({r["cell"] for r in measured["records"]
                   if r["form"] in ("rebind", "inplace") and not r.get("after_error")
                   and (record_kind(r) or "").endswith("removed-rows")})


def leading_blank_lines(lines: list[str]) -> int:
    """How many whitespace-only lines open the cell: IPython removes them, so the kernel's line 1 is after them."""
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return count


def candidates(measured: dict, code_sources: list[str], static_ops: dict[tuple[int, int], list[str]]) -> list[dict]:
    """Pool candidates of one notebook run; static_ops maps (cell index, line) to the ops `trackit analyze` gave."""
    found = []
    displayed_lines = set()

    def entry(item: dict, kind: str, extra: dict) -> dict:
        lines = code_sources[item["cell"]].splitlines()
        line = item["line"] + leading_blank_lines(lines)  # IPython drops them before parsing; count from the cell
        return {"code_cell": item["cell"], "cell_index": item["cell_index"], "line": line,
                "source_line": lines[line - 1].strip() if 0 < line <= len(lines) else None, "kind": kind,
                **extra, "static_ops": static_ops.get((item["cell_index"], line), []),
                "after_error": item.get("after_error", False), "rerun": item.get("rerun", False)}

    for record in measured["records"]:
        kind = record_kind(record)
        if kind is None:
            continue
        if record["form"] == "displayed":
            displayed_lines.add((record["cell"], record["line"]))
        found.append(entry(record, kind, {
            "form": record["form"], "op": record["op"],
            "rows_before": record["before"]["rows"], "rows_after": record["after"]["rows"],
            "cols_before": record["before"].get("cols"), "cols_after": record["after"].get("cols")}))
    for shown in measured["shown"]:
        kind = shown_kind(shown)
        if kind is None or (shown["cell"], shown["line"]) in displayed_lines:
            continue
        value = shown["value"]
        found.append(entry(shown, kind, {"form": "displayed", "value_type": value.get("type"),
                                         "rows_after": value.get("rows"), "cols_after": value.get("cols"),
                                         "inspection_call": inspection_call(shown["expr"])}))
    return sorted(found, key=lambda c: (c["code_cell"], c["line"]))
