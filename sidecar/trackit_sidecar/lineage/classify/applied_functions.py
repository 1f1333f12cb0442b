"""What a function applied to each value or group does (`s.map(f)`, `df.apply(lambda c: ...)`, a notebook function
passed by name): a lookup in a dict, a reduction to one number, a fill, a recode of labels, a cap at a bound, a cast,
text cleaning, a date parse. The contested rules (rules.py) name their outcome from it; definitions.py records a
notebook function's effect under `EFFECT`."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import LIBRARIES
from ..kb import display as kb_display
from ..kb import numpy as kb_numpy
from ..kb import scipy as kb_scipy
from ..kb import python as kb_python
from ..kb import pandas as kb_pandas
from .env_markers import BINS_ONE_VALUE, DICT_MARKER, FUNCTION_MARKER
from .missing_values import is_missing_value, missing_tested, same_value
from .sklearn_rules import sklearn_transformer_op
from .values import MARKER, chain_root, instance_class, str_const, str_list

EFFECT = f"{MARKER}effect:"  # `trackit:effect:<function>`: what a notebook function does to a value (see function_effect)


class AppliedFunctionRules:
    """Mixin of `Cell`: what a function given to map / apply / transform does to each value."""

    env: dict[str, str]

    def _looks_up_a_dict(self, arg: ast.AST) -> bool:
        """`lambda x: codes[x]`, `lambda x: codes.get(x, 0)`, `codes.get` with `codes` a dict written in the code: each
        value looked up in that dict, the same mapping as `.map(codes)` (what-is-a-step.md: "`map`/`replace` with a
        dict of category codes: `encode_categorical`")."""
        def is_dict(node: ast.AST) -> bool:
            return isinstance(node, ast.Name) and self.env.get(node.id, "") == DICT_MARKER
        if isinstance(arg, ast.Attribute) and arg.attr == "get":
            return is_dict(arg.value)  # codes.get
        if not (isinstance(arg, ast.Lambda) and len(arg.args.args) == 1):
            return False
        param, body = arg.args.args[0].arg, arg.body
        if isinstance(body, ast.Subscript):
            return is_dict(body.value) and isinstance(body.slice, ast.Name) and body.slice.id == param
        return isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr == "get" \
            and is_dict(body.func.value) and bool(body.args) and isinstance(body.args[0], ast.Name) \
            and body.args[0].id == param

    def reduces_to_a_number(self, arg: ast.AST) -> bool:
        """A function that makes one number of what it is given: a NumPy / SciPy reduction by reference
        (`np.mean`, `skew`), or a lambda that reduces its parameter (`lambda c: c.isnull().sum()`,
        `lambda x: skew(x.dropna())`); not `lambda s: s.count("a")`, which counts in each value."""
        if not isinstance(arg, ast.Lambda):
            return self._names_a_reduction(arg)
        params = {a.arg for a in arg.args.args}
        body = arg.body
        if not isinstance(body, ast.Call):
            return False
        if isinstance(body.func, ast.Attribute) and body.func.attr in kb_display.ANSWER_METHODS \
                and (not body.args or body.func.attr == "quantile"):
            return chain_root(body.func.value) in params
        return self._names_a_reduction(body.func) and any(chain_root(a) in params for a in body.args[:1])

    def _names_a_reduction(self, ref: ast.AST) -> bool:
        lib, _, rel = (self._function_path(ref) or "").partition(".")
        return rel.rsplit(".", 1)[-1] in REDUCTIONS.get(lib, ())

    def function_effect(self, arg: ast.AST) -> Optional[str]:
        """What a function applied to each value (or group) does: "fills" (fillna), "cleans_text" (lower, strip,
        re.sub, ...), "casts" (str, int, float), else None. A lambda is read here; a notebook function by its body,
        read where it was defined (`trackit:effect:<name>`)."""
        library_effect = kb_pandas.FUNCTION_OP_EFFECTS.get(self._function_op(arg) or "")
        if library_effect:
            # s.apply(np.log), s.transform(np.log1p), df.apply(pd.to_numeric), df[cols].apply(pd.to_datetime): the
            # library function's own op, value by value or column by column
            return library_effect
        if isinstance(arg, ast.Name):
            if arg.id in kb_python.TYPE_FUNCTIONS:
                return "casts"  # s.apply(str)
            imported = self.env.get(arg.id, "")
            if not imported.startswith(MARKER) and imported.rsplit(".", 1)[-1] in kb_python.TEXT_CLEANING_CALLS:
                return "cleans_text"  # s.apply(word_tokenize), s.apply(unidecode)
            if imported == f"{FUNCTION_MARKER}:predict" and not self.env.get(BINS_ONE_VALUE + arg.id):
                # df["predicted"] = df["SMS"].apply(classify_test_set): a hand-written model (named so, kb.models
                # ALGORITHM_NAME_OPS) applied to each value predicts it, whatever text work its body does first
                # (CONVENTIONS 4a: label the call as predict, not the body); one that bins its one value by
                # thresholds (`def classify_likelihood(p): if p < 0.001: return "***"`) derives a feature (22)
                return "predicts"
            return self.env.get(EFFECT + arg.id)
        if isinstance(arg, ast.Lambda):
            return self.body_effect(arg.body)
        if isinstance(arg, ast.Attribute) and arg.attr in TRANSFORMING_METHODS and self._is_encoder(arg.value):
            # df[cols].apply(LabelEncoder().fit_transform), df.apply(le.fit_transform): each column's categories given
            # codes by the encoder (CONVENTIONS 20: label encoders are encode_categorical), as le.fit_transform(df[c])
            return "encodes"
        if isinstance(arg, ast.Attribute) and arg.attr in kb_python.TEXT_CLEANING_CALLS:
            return "cleans_text"  # s.apply(str.lower), s.map(str.strip), s.apply(nltk.word_tokenize)
        return None

    def body_effect(self, body: ast.AST) -> Optional[str]:
        """`body`: a lambda's expression, or a function's body as a Module (its returned values are read)."""
        values = [node.value for node in ast.walk(body) if isinstance(node, ast.Return) and node.value] \
            if isinstance(body, ast.Module) else [body]
        if isinstance(body, ast.Module) and recodes_labels_by_branches(body.body):
            # def encoder(b): if b in ("10M", "50M"): return 0; if b == "100M": return 1: each label's code, a dict
            # map written as branches (CONVENTIONS 20: "a dict map/replace that recodes category values")
            return "label_recode"
        if isinstance(body, ast.Module) and values and all(_recodes_by_a_dict(value) for value in values):
            # def binary_map(x): return x.map({"yes": 1, "no": 0}), then df[cols].apply(binary_map): each column's
            # categories recoded through a dict, as df[c].map({...}) is (CONVENTIONS 20: "a dict map/replace that
            # recodes category values")
            return "label_recode"
        value_ops = [(value, self.expr(value).ops) for value in values]  # type: ignore[attr-defined]
        ops = [op.op for _, made_ops in value_ops for op in made_ops]
        if "impute_missing" in ops or fills_gaps(body):
            return "fills"  # lambda g: g.fillna(g.median()), lambda x: "U" if pd.isnull(x) else x
        if values and all(_returns_codes(value, made_ops) for value, made_ops in value_ops):
            # lambda x: x.cat.codes, lambda c: le.fit_transform(c.astype(str)): what it returns are the categories'
            # codes (CONVENTIONS 20), applied column by column; not codes computed on (`x.map(codes) * 0.5` derives)
            return "encodes"
        cleared = clears_a_code(body) or caps_past_a_bound(body)
        if cleared:
            return cleared  # lambda x: np.nan if x == 0 else x: as replace(0, np.nan) (CONVENTIONS 29)
        if "scale_normalize" in ops or any(self._is_standardisation(v) or self._is_share_of_total(v)  # type: ignore[attr-defined]
                                           for v in values):
            # lambda x: (x - x.mean()) / x.std(), lambda v: np.log(v + 1); lambda x: x / x.max(), lambda c: c / c.sum():
            # each column over its own maximum or total, as `df[c] / df[c].max()` (CONVENTIONS 23)
            return "scales"
        made = [(value, made_ops) for value, made_ops in value_ops if made_ops]
        returned = {kb_pandas.FUNCTION_OP_EFFECTS.get(ops[-1].op) if isinstance(value, ast.Call)
                    and not _formats_a_date(value) else None for value, ops in made}
        if len(returned) == 1 and returned <= {"parses_dates", "casts"}:
            # what the function returns is a parse or a cast of what it is given, the op that library function has
            # when passed by reference (`df.apply(pd.to_numeric)`): `lambda c: pd.to_numeric(c, errors="coerce")`,
            # `def converter(col): t = col.astype(str).str.pad(4); return pd.to_datetime(d + t)` (the parse itself
            # returned: `pd.to_datetime(d).year` takes a part out of the date, which derives)
            return returned.pop()
        calls = {sub.func.attr if isinstance(sub.func, ast.Attribute) else getattr(sub.func, "id", "")
                 for sub in ast.walk(body) if isinstance(sub, ast.Call)}
        if values and all(_counts(value) for value in values):
            # lambda x: len(word_tokenize(x)), lambda x: x.lower().count("!"): a number counted in each text, a new
            # feature (what-is-a-step.md: arithmetic that creates a column derives), whatever text work it counts in
            return None
        if calls & kb_python.TEXT_CLEANING_CALLS or "text_clean" in ops:
            return "cleans_text"  # lambda s: s.lower().strip(), re.sub(r"\W", " ", s)
        if any(_rejoins_words(value) for value in values) or any(_keeps_words(node) for node in ast.walk(body)):
            # lambda x: " ".join(w for w in x.split() if w not in stops), lambda x: [w for w in x if w not in stops]:
            # words kept (stop words removed), rejoined or not
            return "cleans_text"
        if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id in kb_python.TYPE_FUNCTIONS \
                and body.args and isinstance(body.args[0], ast.Name):
            return "casts"  # lambda v: int(v); not lambda d: int(d.year), which takes a part out (derive)
        picked = [self.expr(value).ops for value in values if isinstance(value, ast.Subscript)]  # type: ignore[attr-defined]
        if values and len(picked) == len(values) \
                and all(ops and ops[-1].op in ("filter_rows", "outlier_remove") for ops in picked):
            # def outliers(g): return g[(g.x - g.x.median()).abs() > 0.1]: the rows it keeps of what it is given
            return "removes_outliers" if any(ops[-1].op == "outlier_remove" for ops in picked) else "picks_rows"
        return None

    def _is_encoder(self, value: ast.AST) -> bool:
        """`le` bound to `LabelEncoder()`, or `LabelEncoder()` itself: a transformer whose transform encodes categories
        (kb.sklearn.TRANSFORMERS, or a class named for encoding)."""
        if isinstance(value, ast.Name):
            cls = instance_class(self.env.get(value.id))
        elif isinstance(value, ast.Call):
            cls = self._function_path(value.func)
        else:
            return False
        return bool(cls) and sklearn_transformer_op(cls or "") == "encode_categorical"

    def _function_path(self, ref: ast.AST) -> Optional[str]:
        """The dotted path of a function named by reference (`np.log` -> numpy.log, `skew` imported from scipy)."""
        if isinstance(ref, ast.Attribute) and isinstance(ref.value, ast.Name):
            return f"{self.resolve_name(ref.value.id) or ''}.{ref.attr}"  # type: ignore[attr-defined]
        if isinstance(ref, ast.Attribute) and isinstance(ref.value, ast.Attribute) and isinstance(ref.value.value, ast.Name):
            # np.random.permutation: numpy.random.permutation
            return f"{self.resolve_name(ref.value.value.id) or ''}.{ref.value.attr}.{ref.attr}"  # type: ignore[attr-defined]
        if isinstance(ref, ast.Name):
            return self.env.get(ref.id, "")
        return None

    def _function_op(self, ref: ast.AST) -> Optional[str]:
        """The library op of a function passed by reference (`np.log`, `log` from `from numpy import log`)."""
        path = self._function_path(ref)
        if path is None:
            return None
        lib, _, rel = path.partition(".")
        module = LIBRARIES.get(lib)
        if module is None or not rel:
            return None
        # `zscore` from `from scipy.stats import zscore` is scipy.stats.zscore, named `zscore` in the table, as a call
        # of it looks it up (function_calls.py): df[cols].apply(zscore) standardises each column (CONVENTIONS 23)
        table = getattr(module, "FUNCTIONS", {})
        return table.get(rel, table.get(rel.rsplit(".", 1)[-1]))


def recodes_a_label(body: ast.AST) -> bool:
    """`1 if x == "Yes" else 0`: constants chosen by equality with a string (not a numeric threshold); and
    `x.replace(">50K", "1")`: a label replaced by a code, a recoding to codes (CONVENTIONS 20), not a spelling fix."""
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr == "replace" \
            and len(body.args) == 2 and str_const(body.args[0]) and (str_const(body.args[1]) or "").isdigit():
        return True
    if not isinstance(body, ast.IfExp):
        return False
    if not (isinstance(body.body, ast.Constant) and isinstance(body.orelse, (ast.Constant, ast.IfExp))):
        return False
    test = body.test
    return (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In))
            and any(str_const(c) is not None or str_list(c) is not None  # x in {"L", "XL"}: a set of labels too
                    or (isinstance(c, ast.Set) and str_list(ast.List(elts=c.elts, ctx=ast.Load())) is not None)
                    for c in test.comparators))


def _tests_labels(test: ast.AST) -> bool:
    """`x == "Yes"`, `x in ("10M", "50M")`, joined by `or` / `and`: a test of the value against string labels."""
    if isinstance(test, ast.BoolOp):
        return all(_tests_labels(value) for value in test.values)
    return isinstance(test, ast.Compare) and len(test.ops) == 1 \
        and isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) \
        and isinstance(test.left, ast.Name) and _labels(test.comparators[0])


def _labels(node: ast.AST) -> bool:
    if str_const(node) is not None:
        return True
    if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
        return str_list(ast.List(elts=node.elts, ctx=ast.Load())) is not None
    return False


def recodes_labels_by_branches(body: list[ast.stmt]) -> bool:
    """A function body made only of branches that test the value against string labels and return constants (and a
    constant returned last): `if b in ("10M", "50M"): return 0` / `elif b == "100M": return 1` / `return 2`. Not a
    body that computes anything, nor one whose branches test numbers (`if age < 18: return "child"`, derive_feature)."""
    return _branches_return_constants(body) and any(isinstance(stmt, ast.If) for stmt in body)


def _recodes_by_a_dict(value: ast.AST) -> bool:
    """`x.map({"yes": 1, "no": 0})`, `x.replace({"Y": 1, "N": 0})` of a name: labels written in a dict, each given a
    constant code (not a dict putting a placeholder in, such as `{"?": np.nan}`, nor codes computed)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("map", "replace")
            and isinstance(value.func.value, ast.Name) and len(value.args) == 1 and isinstance(value.args[0], ast.Dict)):
        return False
    mapping = value.args[0]
    return bool(mapping.keys) and all(key is not None and str_const(key) is not None for key in mapping.keys) \
        and all(isinstance(code, ast.Constant) for code in mapping.values)


def _branches_return_constants(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Expr) and str_const(stmt.value) is not None:
            continue  # a docstring
        if isinstance(stmt, ast.Return):
            if not isinstance(stmt.value, ast.Constant):
                return False
        elif isinstance(stmt, ast.If):
            if not _tests_labels(stmt.test) or not _branches_return_constants(stmt.body) \
                    or not _branches_return_constants(stmt.orelse):
                return False
        else:
            return False
    return True


def fills_gaps(body: ast.AST) -> bool:
    """A function applied value by value that returns a value where its input is missing and the input itself
    elsewhere: `lambda x: "U" if pd.isnull(x) else x`, or a body with `if pd.isnull(age): return 37 ... return age`
    (what-is-a-step.md: "assigning a value where a column is null: impute_missing"). Returning something else for
    present values (`0 if pd.isnull(x) else 1`) makes an indicator, not a fill."""
    if isinstance(body, ast.IfExp):
        tested = missing_tested(body.test)
        if tested is None:
            return False
        kept = body.orelse if tested[1] else body.body
        return same_value(kept, tested[0])
    if not isinstance(body, ast.Module):
        return False
    returned = [ast.dump(node.value) for node in ast.walk(body) if isinstance(node, ast.Return) and node.value]
    for node in ast.walk(body):
        if isinstance(node, ast.If):
            tested = missing_tested(node.test)
            if tested is not None and isinstance(tested[0], ast.Name) and ast.dump(tested[0]) in returned \
                    and len(set(returned)) > 1:
                return True
    return False


def clears_a_code(body: ast.AST) -> Optional[str]:
    """`np.nan if x == 0 else x`: one value of the input made missing, the input kept otherwise; "anomaly" for a
    number, "placeholder_text" for a string (the outcomes of `replace(code, np.nan)`), else None."""
    if not (isinstance(body, ast.IfExp) and isinstance(body.test, ast.Compare) and len(body.test.ops) == 1
            and isinstance(body.test.ops[0], (ast.Eq, ast.NotEq))):
        return None
    cleared, kept = (body.body, body.orelse) if isinstance(body.test.ops[0], ast.Eq) else (body.orelse, body.body)
    code = body.test.comparators[0]
    if not (is_missing_value(cleared) and same_value(kept, body.test.left) and isinstance(code, ast.Constant)):
        return None
    return "placeholder_text" if isinstance(code.value, str) else "anomaly"


def caps_past_a_bound(body: ast.AST) -> Optional[str]:
    """`10 if x > 10 else x`, `mean if x < lower or x > upper else x`: the input past an order bound replaced by a
    number or a name (a bound or a statistic), the input kept otherwise: "anomaly", as `df.loc[df.x > 10, "x"] = 10`
    (CONVENTIONS 29: "clipping, replacing outliers" is outlier_remove); else None. An indicator (`1 if x > 60 else
    0`) keeps nothing of the input, and a replacement computed from the input (`x / 10 if x > 100 else x`) derives."""
    if not isinstance(body, ast.IfExp):
        return None
    tests = body.test.values if isinstance(body.test, ast.BoolOp) and isinstance(body.test.op, ast.Or) else [body.test]
    if not all(isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE))
               for t in tests):
        return None
    kept, put = body.orelse, body.body
    if not all(same_value(kept, t.left) for t in tests):
        kept, put = body.body, body.orelse  # `x if x > 0 else 0`: kept where the test holds, the bound elsewhere
        if not all(same_value(kept, t.left) for t in tests):
            return None
    number = isinstance(put, ast.Constant) and isinstance(put.value, (int, float)) and not isinstance(put.value, bool)
    if isinstance(put, ast.UnaryOp) and isinstance(put.op, ast.USub):
        number = isinstance(put.operand, ast.Constant) and isinstance(put.operand.value, (int, float))
    named = isinstance(put, ast.Name) and not same_value(put, kept)
    return "anomaly" if number or named else None


# Builtins that count (`len(tokens)`, `sum(1 for c in x if c.isupper())`).
COUNTING_BUILTINS = frozenset({"len", "sum"})
# A transformer's methods that hand back its transformed values (passed by reference to apply: `apply(le.fit_transform)`).
TRANSFORMING_METHODS = frozenset({"fit_transform", "transform"})
# Functions that make one number of an array, by library: applied to each column they give a table of statistics.
REDUCTIONS = {"numpy": kb_numpy.REDUCTIONS, "scipy": kb_scipy.REDUCTIONS}


def _formats_a_date(value: ast.Call) -> bool:
    """`datetime.strptime(x, "%d.%m.%Y").strftime("%m")`: a parsed date written back as a part or a format of it,
    which derives (CONVENTIONS 21: "Extracting date parts is derive_feature"), not the parse returned."""
    return isinstance(value.func, ast.Attribute) and value.func.attr in ("strftime", "isoformat", "weekday",
                                                                         "isoweekday", "timestamp", "date", "time")


def _rejoins_words(value: ast.AST) -> bool:
    """`" ".join(w for w in x.split() if w not in stops)`: a text's words split, some kept (or changed), joined back
    into a text: the text cleaned (what-is-a-step.md: "`str.split` ... `replace` on text: `text_clean`"), not a part
    picked out of it (`x.split("-")[0]` derives)."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "join" \
        and isinstance(value.func.value, ast.Constant) and isinstance(value.func.value.value, str) \
        and any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "split"
                for sub in ast.walk(value))


def _returns_codes(value: ast.AST, ops: list) -> bool:
    """The value is the encoding itself (its last op encodes; a call, attribute or item of it), not arithmetic on it."""
    return bool(ops) and ops[-1].op == "encode_categorical" and isinstance(value, (ast.Call, ast.Attribute, ast.Subscript))


def _counts(value: ast.AST) -> bool:
    """`len(...)`, `sum(...)`, `x.count("!")`, and ratios of them (`x.count("1") / len(x)`): a number counted."""
    if isinstance(value, ast.BinOp):
        return any(_counts(side) for side in (value.left, value.right)) \
            and all(_counts(side) or isinstance(side, ast.Constant) for side in (value.left, value.right))
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Name):
        return value.func.id in COUNTING_BUILTINS
    return isinstance(value.func, ast.Attribute) and value.func.attr == "count" and bool(value.args)


def _keeps_words(value: ast.AST) -> bool:
    """`[w for w in tokens if w not in stops]` (also over `x.split()`): the words of a text kept unless they are in a
    collection, stop words removed (the brief's text cleaning: "stop-word removal"); not a test of anything else
    (`[w for w in x if len(w) > 2]` keeps words by a number). Joined back (`"".join(c for c in x if c not in
    string.punctuation)`) they are the text cleaned."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "join" \
            and isinstance(value.func.value, ast.Constant) and isinstance(value.func.value.value, str) \
            and len(value.args) == 1:
        value = value.args[0]
    if not (isinstance(value, (ast.ListComp, ast.GeneratorExp)) and len(value.generators) == 1):
        return False
    comp = value.generators[0]
    word = comp.target.id if isinstance(comp.target, ast.Name) else None
    return word is not None and len(comp.ifs) == 1 and isinstance(comp.ifs[0], ast.Compare) \
        and len(comp.ifs[0].ops) == 1 and isinstance(comp.ifs[0].ops[0], ast.NotIn) \
        and isinstance(comp.ifs[0].left, ast.Name) and comp.ifs[0].left.id == word
