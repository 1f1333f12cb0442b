"""One cell through the classifier: `classify_cell(source, aliases)` -> (steps, aliases after the cell)."""

from __future__ import annotations

import ast
import math
from typing import Optional

from ... import protocol
from .. import kb
from ..magics import strip_magics
from ..newer_syntax import parse_newer_fstrings
from .applied_functions import AppliedFunctionRules
from .attributes import AttributeRules
from .baseline_predictions import BaselinePredictionRules
from .calls import CallRules
from .collected import CollectedResultRules
from .column_expressions import ColumnExpressionRules
from .column_labels import ColumnLabelRules
from .display import DisplayRules, assigned_in_loops, printed_in_loops
from .documents import DocumentRules
from .drawn_values import DrawnValueRules, accumulators_only_drawn, names_only_drawn, tables_made_to_draw
from .expressions import ExpressionRules
from .function_scope import functions_switched_off
from .hand_written import HandWrittenRules
from .conditions import ConditionRules
from .data_uses import callback_names, names_filled_by_position, names_used_as_data
from .indicators import IndicatorRules, names_cast_later
from .masks import MaskRules
from .missing_seen import MissingSeenRules
from .label_chains import label_chain_lines
from .model_functions import model_function_lines
from .filled_results import FilledResultRules
from .formula_terms import note_categorical_columns
from .named_ops import NamedOpRules
from .sql_texts import SqlTextRules
from .outlier_bounds import OutlierBoundRules
from .placeholder_columns import placeholder_statements
from .prediction_columns import PredictionColumnRules
from .prediction_agreement import PredictionAgreementRules
from .readers import ReaderRules
from .result_roles import ResultRoleRules
from .results_records import ResultsRecordRules
from .results import ROLE, ResultRules
from .row_errors import RowErrorRules
from .rules import ContestedRules
from .scaling_shapes import ScalingShapeRules
from .shuffled_positions import positions_shuffled
from .tail_probabilities import TailProbabilityRules
from .thresholded_items import ThresholdedItemRules
from .sklearn_rules import SklearnRules
from .sources import SourceRules
from .subscripts import SubscriptRules
from .table_constructors import TableConstructorRules
from .value_assignment import ValueAssignmentRules
from .values import Val, names_bound_otherwise, path_key
from .walker import StatementWalker
from .written_lists import lists_tabled_together
from .zipped_pairs import ZippedPairRules


class Cell(StatementWalker, ExpressionRules, AttributeRules, SubscriptRules, ColumnLabelRules, CallRules,
           ColumnExpressionRules, MaskRules, OutlierBoundRules, IndicatorRules, MissingSeenRules, ConditionRules,
           ScalingShapeRules, SklearnRules, ContestedRules, AppliedFunctionRules, ValueAssignmentRules, DisplayRules,
           SourceRules, TableConstructorRules, NamedOpRules, ResultRules, ResultRoleRules, HandWrittenRules,
           DrawnValueRules, CollectedResultRules, ReaderRules, DocumentRules, PredictionColumnRules,
           ZippedPairRules, PredictionAgreementRules, ThresholdedItemRules,
           TailProbabilityRules, RowErrorRules, BaselinePredictionRules, ResultsRecordRules, FilledResultRules,
           SqlTextRules):
    def __init__(self, text: str, env: dict[str, str], last_statement: Optional[ast.stmt] = None,
                 callbacks: Optional[frozenset[str]] = None):
        self.text = text
        self.last_statement = last_statement
        self.callbacks = callbacks or frozenset()
        self.switched_off: frozenset[str] = frozenset()  # functions called only in comments (function_scope.py)
        self.data_names: frozenset[str] = frozenset()  # read outside plots (see data_uses.names_used_as_data)
        self.read_names: frozenset[str] = frozenset()  # read anywhere in the cell
        self.grid_data_names: frozenset[str] = frozenset()  # read as data beyond walking a grid (see sources)
        self.drawn_grids: set[str] = set()  # grids and curves over them made only to draw (see drawn_values.py)
        self.figure_tables: frozenset[str] = frozenset()  # see drawn_values.tables_made_to_draw
        self.curve_values: list[ast.AST] = []
        self.counted_locals: frozenset[str] = frozenset()  # the walked function's locals it only counts (definitions.function_body)
        self.imputing = False  # walking the body of a function or class named for filling gaps (kb.IMPUTER_NAME)
        self.shuffled_positions: frozenset[str] = frozenset()  # see shuffled_positions.py
        self.tabled_lists: frozenset[str] = frozenset()  # lists written here and tabled together (written_lists.py)
        self.cast_names: frozenset[str] = frozenset()  # names the cell casts (indicators.names_cast_later)
        # statements that rebind a name from before the cell (see rebinding_statements): never plot plumbing
        self.rebinding: dict[int, tuple[int, frozenset[str]]] = {}
        self.lines = text.splitlines(keepends=True)  # once per cell: ast.get_source_segment re-splits per call
        self.env = env
        # whether any prediction/evaluation/fit role was ever bound (results.py): most cells need no role look-up
        self.roles_bound = any(key.startswith(ROLE) for key in env)
        self.steps: list[protocol.Step] = []
        self.filled_by_position: frozenset[str] = frozenset()  # see data_uses.names_filled_by_position
        self.printed_in_loops: frozenset[int] = frozenset()  # see display.printed_in_loops
        self.predicted_parameters = False  # in the body of a function with a parameter named for predictions
        self.function_depth = 0  # how many function bodies the walk is in (definitions.function_body)
        self.drawn_accumulators: frozenset[str] = frozenset()  # see drawn_values.accumulators_only_drawn
        # the imported functions the cell's calls were decided to make data (function_calls: data_makers.makes_data),
        # whose loads the walker then gives the values handed to them as parameters (absorbed_parameters.py)
        self.data_makers: set[str] = set()
        self.assigned_in_loops: frozenset[int] = frozenset()  # see display.assigned_in_loops
        self.bound_otherwise: frozenset[str] = frozenset()  # see values.names_bound_otherwise
        self.values_seen: dict[int, tuple[ast.AST, Val]] = {}  # id(node) -> (node, its value): expressions.evaluated
        self.placeholders: frozenset[int] = frozenset()  # see placeholder_columns.placeholder_statements
        self.placeholder_fills: frozenset[int] = frozenset()  # ... and the statements that fill them


def rebinding_statements(tree: ast.Module) -> dict[int, tuple[int, frozenset[str]]]:
    """Assignments that rebind a name the cell did not make from its own value (`df = df.dropna(subset=["type"])`,
    `df = df[df.x > 0]`): `id(statement)` -> (line, those names). Every later cell reads the changed data, so the
    statement is a step of how the data was prepared (what-is-a-step.md) even when this cell then only draws it; it
    is not data made only to draw a figure (CONVENTIONS 8 is about data made for the figure)."""
    assigns = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)]
    from_itself: dict[int, ast.Assign] = {}  # id(target name) -> its assignment, whose value reads that name
    for node in assigns:
        read = {sub.id for sub in ast.walk(node.value) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)}
        from_itself.update((id(t), node) for t in node.targets if isinstance(t, ast.Name) and t.id in read)
    made_at: dict[str, tuple[int, int]] = {}  # name -> where the cell first binds it afresh (not from itself)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in from_itself:
            made_at[node.id] = min(made_at.get(node.id, (node.lineno, node.col_offset)), (node.lineno, node.col_offset))
    found: dict[int, tuple[int, frozenset[str]]] = {}
    for node in assigns:
        # every rebinding from itself before the cell makes the name (`df = df.dropna()` then `df = df[...]`), by
        # position, not by line (`recent = df[...]; recent = recent.dropna()` makes `recent` first)
        names = frozenset(t.id for t in node.targets if from_itself.get(id(t)) is node
                          and made_at.get(t.id, (math.inf, 0)) > (node.lineno, node.col_offset))
        if names:
            found[id(node)] = (node.lineno, names)
    return found


def classify_cell(source: str, aliases: Optional[dict[str, str]] = None) -> tuple[list[protocol.Step], dict[str, str]]:
    """(steps, aliases after the cell). `aliases` is not modified. Never raises."""
    # a caller's dict may come from JSON or an older version: keep only what this module wrote
    env = {k: v for k, v in (aliases or {}).items() if isinstance(k, str) and isinstance(v, str)}
    try:
        text = strip_magics(source)
        tree, text = parse_newer_fstrings(text)
    except Exception:  # syntax error, null bytes, recursion: a cell we cannot read has no steps
        return [], env
    callbacks = callback_names(tree) if "def " in text else frozenset()  # only functions defined here matter
    cell = Cell(text, env, tree.body[-1] if tree.body else None, callbacks)
    cell.switched_off = functions_switched_off(tree, text) if "def " in text and "#" in text else frozenset()
    # which names the cell reads only to draw: grids and plot plumbing (CONVENTIONS 8, 28)
    cell.filled_by_position = names_filled_by_position(tree)
    cell.data_names, cell.read_names, cell.grid_data_names = names_used_as_data(
        tree, cell.draws_call, cell.filled_by_position)
    if cell.read_names - cell.data_names:  # something is drawn: follow what is computed only to draw it
        cell.data_names -= names_only_drawn(tree, cell.draws_call, cell.resolve_name)
        cell.figure_tables = tables_made_to_draw(tree, cell.draws_call)
        cell.data_names -= cell.figure_tables
    cell.rebinding = rebinding_statements(tree) if cell.read_names - cell.data_names else {}
    cell.drawn_accumulators = accumulators_only_drawn(tree, cell.draws_call, cell.filled_by_position)
    cell.printed_in_loops = printed_in_loops(tree) if "print(" in text or "display(" in text else frozenset()
    cell.assigned_in_loops = assigned_in_loops(tree) if "for " in text or "while " in text else frozenset()
    cell.tabled_lists = lists_tabled_together(tree) if "[" in text else frozenset()
    cell.cast_names = names_cast_later(tree) if "astype(" in text or "cast(" in text else frozenset()
    cell.shuffled_positions = positions_shuffled(tree) if "shuffle(" in text else frozenset()
    cell.tests_missing = any(word in text for word in kb.MISSING_TESTS | kb.PRESENT_TESTS)
    cell.bound_otherwise = names_bound_otherwise(tree)
    if ".loc[" in text or ".at[" in text or "][" in text:
        cell.placeholders, cell.placeholder_fills = placeholder_statements(tree)
    note_categorical_columns(tree, env, text)  # for design matrices (formula_terms.py)
    cell.block(tree.body)
    for name in cell.bound_otherwise:  # for path in files: after the loop `path` is no longer the string bound before
        cell.env.pop(path_key(name), None)
    if cell.curve_values:
        cell.drop_functions_only_drawn(tree)
    if cell.figure_tables:
        cell.drop_columns_written_to_draw(tree, cell.figure_tables)
    if "DataFrame()" in text and cell.roles_bound:
        cell.results_table_built_by_column(tree)
    if "def " in text:
        # def decay(t, a, k): ... then curve_fit(decay, t, y): a hand-written model, its body no step (CONVENTIONS 4a)
        boxed = model_function_lines(tree, cell.module_path)
        cell.steps[:] = [step for step in cell.steps
                         if step.line is None or not any(first <= step.line <= last for first, last in boxed)]
    if ".index" in text:
        # types = data.dropna(...); types = types[c].value_counts(); types = list(types[types > 100].index): the
        # labels of the categories to keep, a parameter computed (label_chains.py), no steps on the way
        chains = label_chain_lines(tree)
        cell.steps[:] = [step for step in cell.steps if not any(
            first <= (step.line or 0) <= last and step.output == name for first, last, name in chains)]
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        # the cell shows this statement's value: whether that is an answer or a new table only the kernel can
        # tell (lineage/runtime_decisions.py); an in-place step (it has an output) is a step either way
        for step in cell.steps:
            if step.line is not None and step.line >= last.lineno and step.output is None:
                step.displays_result = True
    return cell.steps, cell.env
