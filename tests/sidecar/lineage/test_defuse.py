from __future__ import annotations

import textwrap

import pytest

from trackit_sidecar.lineage.defuse import analyze_defuse


def du(source: str):
    result = analyze_defuse(textwrap.dedent(source))
    assert result.error is None, result.error
    return result


def rw(source: str) -> tuple[list[str], list[str]]:
    result = du(source)
    return result.reads, result.writes


# ---------------------------------------------------------------- assignment
def test_simple_assignment():
    assert rw("y = x + 1") == (["x"], ["y"])


def test_self_reassignment_reads_and_writes():
    result = du("df = df.dropna()")
    assert (result.reads, result.writes) == (["df"], ["df"])
    assert result.derivations == {"df": ["df"]}


def test_tuple_unpacking_derives_every_target_from_the_call():
    result = du("X_train, X_test = train_test_split(X, y)")
    assert result.reads == ["train_test_split", "X", "y"]
    assert result.writes == ["X_train", "X_test"]
    assert result.derivations == {
        "X_train": ["train_test_split", "X", "y"],
        "X_test": ["train_test_split", "X", "y"],
    }


def test_star_unpacking():
    assert rw("first, *rest = items") == (["items"], ["first", "rest"])


def test_nested_unpacking_and_chained_assignment():
    assert rw("a = (b, [c, d]) = pairs") == (["pairs"], ["a", "b", "c", "d"])


def test_swap_reads_in_evaluation_order():
    assert rw("a, b = b, a") == (["b", "a"], ["a", "b"])


def test_name_read_after_write_in_same_cell_is_not_a_read():
    assert rw("x = 1\ny = x * 2") == ([], ["x", "y"])


def test_name_read_before_write_in_same_cell_is_a_read():
    assert rw("print(x)\nx = 2") == (["x"], ["x"])


def test_reads_and_writes_are_ordered_by_first_occurrence():
    assert rw("c = z\nb = y\na = x\nb = w") == (["z", "y", "x", "w"], ["c", "b", "a"])


def test_annotated_assignment_reads_annotation_and_writes_target():
    assert rw("df: pd.DataFrame = load()") == (["load", "pd"], ["df"])


def test_annotation_without_value_binds_nothing():
    assert rw("count: int") == ([], [])


# ---------------------------------------------------------------- changing objects
def test_subscript_write_mutates_and_reads_the_frame():
    result = du('df["x"] = df["a"] * 2')
    assert (result.reads, result.writes) == (["df"], ["df"])
    assert result.derivations == {"df": ["df"]}


def test_loc_write_with_mask():
    assert rw('df.loc[mask, "a"] = 0') == (["df", "mask"], ["df"])


def test_attribute_write():
    assert rw("obj.attr = 1") == (["obj"], ["obj"])


def test_nested_attribute_write_targets_the_base():
    assert rw("model.config.depth = d") == (["d", "model"], ["model"])


def test_a_display_option_set_as_an_attribute_changes_no_variable():
    # the attribute form of pd.set_option("display.max_columns", 45): how tables print, no data (rev30: ds-python's
    # cleaning notebook had later `pd.to_datetime` cells depend on the cell that widened the printed tables)
    assert rw("pd.options.display.max_columns = 45") == (["pd"], [])
    assert rw("import pandas\npandas.options.display.float_format = '{:.2f}'.format") == ([], ["pandas"])
    # options that change results still change the module; a variable's `options` is its own
    assert rw("pd.options.mode.copy_on_write = True") == (["pd"], ["pd"])
    assert rw("cfg.options.display.width = 3") == (["cfg"], ["cfg"])


def test_inplace_true_writes_receiver():
    assert rw("df.dropna(inplace=True)") == (["df"], ["df"])
    assert rw('df.fillna(0, inplace=True)') == (["df"], ["df"])
    assert rw('df.drop(columns=["a"], inplace=True)') == (["df"], ["df"])


def test_inplace_false_does_not_write():
    assert rw("df.dropna(inplace=False)") == (["df"], [])


@pytest.mark.parametrize(
    "call",
    ["lst.append(x)", "lst.extend(x)", "d.update(x)", "lst.insert(0, x)", "s.add(x)", "d.setdefault(k, x)", "lst.remove(x)"],
)
def test_mutating_methods_write_receiver(call):
    result = du(call)
    receiver = call.split(".")[0]
    assert result.writes == [receiver]
    assert result.reads[0] == receiver
    assert "x" in result.reads


@pytest.mark.parametrize("call", ["lst.sort()", "lst.clear()", "lst.pop()", "lst.reverse()"])
def test_mutating_methods_without_arguments(call):
    assert rw(call) == (["lst"], ["lst"])


def test_pop_writes_both_receiver_and_target():
    result = du('col = df.pop("c")')
    assert (result.reads, result.writes) == (["df"], ["df", "col"])


def test_mutation_through_attribute_chain():
    assert rw('df["a"].fillna(0, inplace=True)') == (["df"], ["df"])


def test_estimator_fit_changes_the_estimator():
    result = du("model.fit(X_train, y_train)")
    assert result.writes == ["model"]
    assert result.derivations == {"model": ["model", "X_train", "y_train"]}


def test_non_mutating_method_does_not_write():
    assert rw("n = df.head()") == (["df"], ["n"])


def test_module_functions_named_like_mutators_do_not_write_the_module():
    assert rw("import numpy as np\na = np.append(a, 1)") == (["a"], ["np", "a"])
    # np from another cell is still a read, just not changed
    assert rw("b = np.append(b, 2)") == (["np", "b"], ["b"])


def test_a_mutating_function_writes_the_array_it_is_handed_not_the_module():
    # kb.python.MUTATING_FUNCTIONS: np.random.shuffle(a) shuffles a in place (read from the one in-place table)
    assert rw("np.random.shuffle(a)") == (["np", "a"], ["a"])
    assert rw("rng.shuffle(a)") == (["rng", "a"], ["rng", "a"])


def test_torch_style_trailing_underscore_is_in_place():
    assert rw("weights.mul_(0.5)") == (["weights"], ["weights"])


def test_augmented_assignment_reads_and_writes():
    result = du("total += x")
    assert (result.reads, result.writes) == (["total", "x"], ["total"])
    assert result.derivations == {"total": ["total", "x"]}


def test_augmented_assignment_to_subscript():
    assert rw('counts["a"] += 1') == (["counts"], ["counts"])


def test_del_name_is_recorded_as_write():
    result = du("del tmp")
    assert (result.reads, result.writes) == ([], ["tmp"])
    assert result.derivations == {"tmp": []}


def test_function_reading_a_name_the_cell_only_deletes_still_reads_it():
    assert rw("def show():\n    return tmp\ndel tmp") == (["tmp"], ["show", "tmp"])


def test_del_several_targets_are_separate_changes():
    result = du("del a, b[0]")
    assert (result.reads, result.writes) == (["b"], ["a", "b"])
    assert result.derivations == {"a": [], "b": ["b"]}


def test_del_subscript_mutates_frame():
    assert rw('del df["c"]') == (["df"], ["df"])


# ---------------------------------------------------------------- imports
def test_imports_write_bound_names():
    result = du(
        """
        import pandas as pd
        import os.path
        from sklearn.model_selection import train_test_split as tts
        from a import b
        """
    )
    assert (result.reads, result.writes) == ([], ["pd", "os", "tts", "b"])


def test_star_import_binds_nothing_we_can_know():
    assert rw("from math import *") == ([], [])


def test_imported_names_sort_last_in_derivations():
    result = du("import pandas as pd\ndf = pd.read_csv(path)")
    assert result.derivations["df"] == ["path", "pd"]


def test_conventional_aliases_sort_last_even_when_imported_elsewhere():
    assert du("arr = np.asarray(values)").derivations["arr"] == ["values", "np"]


# ---------------------------------------------------------------- functions, classes, lambdas
def test_function_def_reads_free_variables_only():
    result = du(
        """
        def scale(col, factor=default_factor):
            local = col * factor + offset
            return local.clip(0, limit)
        """
    )
    assert result.reads == ["default_factor", "offset", "limit"]
    assert result.writes == ["scale"]
    assert result.derivations == {"scale": ["default_factor", "offset", "limit"]}


def test_decorator_is_read():
    assert rw("@cache\ndef f():\n    return 1") == (["cache"], ["f"])


def test_function_body_resolves_names_defined_later_in_cell():
    assert rw(
        """
        def main():
            return helper(config)
        def helper(c):
            return c
        config = {}
        """
    ) == ([], ["main", "helper", "config"])


def test_builtins_are_never_reads():
    assert rw("n = len(items)\nprint(sorted(items), range(3), display)") == (["items"], ["n"])


def test_global_in_function_records_def_as_writing_it():
    result = du(
        """
        def reset():
            global counter
            counter = start
        """
    )
    assert (result.reads, result.writes) == (["start"], ["reset", "counter"])


def test_function_mutating_a_global_writes_it_at_the_def():
    assert rw("def log(x):\n    history.append(x)") == (["history"], ["log", "history"])


def test_function_mutating_its_parameter_writes_nothing_global():
    assert rw("def add(lst, x):\n    lst.append(x)") == ([], ["add"])


def test_closure_variables_are_not_reads():
    assert rw(
        """
        def outer(a):
            b = a + 1
            def inner():
                nonlocal b
                return a + b + c
            return inner
        """
    ) == (["c"], ["outer"])


def test_lambda_params_are_local():
    assert rw("key = lambda row: row[col] * weight") == (["col", "weight"], ["key"])


def test_lambda_default_is_read_at_definition():
    assert rw("f = lambda x=y: x") == (["y"], ["f"])


def test_class_body_names_are_class_local():
    assert rw(
        """
        class Cleaner(Base):
            threshold = 3
            scaled = threshold * factor
            def run(self, df):
                return df[df.x > threshold_global]
        """
    ) == (["Base", "factor", "threshold_global"], ["Cleaner"])


def test_method_does_not_see_class_attributes():
    # inside a method `threshold` is a global lookup, not the class attribute
    assert rw("class C:\n    threshold = 1\n    def m(self):\n        return threshold") == (["threshold"], ["C"])


# ---------------------------------------------------------------- comprehensions and walrus
def test_comprehension_loop_variables_are_local():
    assert rw("squares = [v * v for v in values if v > cutoff]") == (["values", "cutoff"], ["squares"])


def test_dict_and_set_comprehensions_and_generators():
    assert rw("m = {k: v for k, v in pairs}\ns = {x for x in xs}\nt = sum(y for y in ys)") == (
        ["pairs", "xs", "ys"],
        ["m", "s", "t"],
    )


def test_nested_comprehension_inner_iterable_sees_outer_variable():
    assert rw("flat = [c for row in grid for c in row]") == (["grid"], ["flat"])


def test_comprehension_variable_does_not_leak():
    assert rw("xs = [i for i in range(3)]\nprint(i)") == (["i"], ["xs"])


def test_walrus_at_top_level_writes():
    assert rw("if (n := len(data)) > 10:\n    big = True") == (["data"], ["n", "big"])


def test_walrus_inside_comprehension_writes_cell_level():
    assert rw("hits = [y for x in xs if (y := f(x))]") == (["xs", "f"], ["y", "hits"])


def test_walrus_inside_function_comprehension_is_local():
    assert rw("def g(xs):\n    return [y for x in xs if (y := x)]\n") == ([], ["g"])


# ---------------------------------------------------------------- control flow
def test_for_target_is_written_and_derived_from_iterable():
    result = du("for row in rows:\n    total += row")
    assert (result.reads, result.writes) == (["rows", "total"], ["row", "total"])
    assert result.derivations == {"row": ["rows"], "total": ["total", "row"]}


def test_with_as_writes_the_target():
    result = du("with open(path) as fh:\n    text = fh.read()")
    assert (result.reads, result.writes) == (["path"], ["fh", "text"])
    assert result.derivations == {"fh": ["path"], "text": ["fh"]}


def test_except_as_name_is_neither_read_nor_written():
    assert rw(
        """
        try:
            value = parse(raw)
        except ValueError as err:
            message = str(err)
        finally:
            done = True
        """
    ) == (["parse", "raw"], ["value", "message", "done"])


def test_except_name_deleted_after_handler_so_later_use_is_a_read():
    assert rw("try:\n    pass\nexcept E as e:\n    pass\nprint(e)") == (["E", "e"], [])


def test_if_branches_write_without_control_derivation():
    result = du("if flag:\n    y = 1\nelse:\n    y = other")
    assert (result.reads, result.writes) == (["flag", "other"], ["y"])
    assert result.derivations == {"y": ["other"]}


def test_while_loop():
    assert rw("while i < n:\n    i += 1") == (["i", "n"], ["i"])


def test_match_statement_captures_are_writes():
    result = du(
        """
        match command:
            case Point(x=0, y=py):
                where = py
            case [first, *others]:
                pass
            case {"k": v, **extra}:
                pass
            case Color.RED as c:
                pass
        """
    )
    assert result.reads == ["command", "Point", "Color"]
    assert result.writes == ["py", "where", "first", "others", "v", "extra", "c"]
    assert result.derivations["py"] == ["command", "Point"]


def test_top_level_await_and_async_blocks():
    assert rw("data = await fetch(url)") == (["fetch", "url"], ["data"])
    assert rw("async for m in stream:\n    msgs.append(m)") == (["stream", "msgs"], ["m", "msgs"])
    assert rw("async with session.get(u) as r:\n    body = await r.text()") == (["session", "u"], ["r", "body"])


def test_fstring_expressions_are_reads():
    assert rw('label = f"{name!r:>{width}}"') == (["name", "width"], ["label"])


# ---------------------------------------------------------------- magics and errors
def test_shell_assignment_writes_and_interpolation_reads():
    result = du("files = !ls {data_dir}\ncount = len(files)")
    assert (result.reads, result.writes) == (["data_dir"], ["files", "count"])


def test_time_magic_statement_counts():
    assert rw("%time model = fit(X)") == (["fit", "X"], ["model"])


def test_timeit_magic_does_not_write():
    assert rw("%timeit result = slow(data)") == (["slow", "data"], [])


def test_timeit_cell_does_not_write():
    assert rw("%%timeit\nq = g(h)\nr = q") == (["g", "h"], [])


def test_time_cell_body_counts():
    assert rw("%%time\ndf = load(path)") == (["load", "path"], ["df"])


def test_non_python_cell_magic_is_not_analysed():
    result = analyze_defuse("%%bash\necho $x")
    assert result.error == "not analysed: %%bash cell"
    assert (result.reads, result.writes, result.derivations) == ([], [], {})


def test_syntax_error_reports_message_and_line():
    result = analyze_defuse("x = 1\ny = (\n")
    assert result.error == "not analysed: SyntaxError: '(' was never closed (line 2)"
    assert (result.reads, result.writes) == ([], [])


def test_syntax_error_line_is_the_users_line_after_magics():
    result = analyze_defuse("%matplotlib inline\n!ls\nx = = 1")
    assert result.error is not None and result.error.endswith("(line 3)")


@pytest.mark.parametrize("bad", ["\x00", "x = 1\x00", None, 42, "(" * 500 + ")" * 500])
def test_never_raises_on_bad_input(bad):
    result = analyze_defuse(bad)  # type: ignore[arg-type]
    assert result.error is not None and result.error.startswith("not analysed: ")


def test_long_operator_chain_is_analysed():
    terms = [f"v{n}" for n in range(800)]  # Python's own parser gives up near 3000
    assert rw("total = " + " + ".join(terms)) == (terms, ["total"])


def test_ipython_history_names_are_not_reads():
    assert rw("a = _i3 + str(_12)\nb = In[1]") == ([], ["a", "b"])


def test_empty_cell():
    assert rw("") == ([], [])
    assert rw("# just a comment\n") == ([], [])
