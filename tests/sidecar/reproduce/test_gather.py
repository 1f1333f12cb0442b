"""gather: pure slicing over small recorded histories (no kernel, no database)."""

from __future__ import annotations

import json

import pytest

from trackit_sidecar.lineage import magics
from trackit_sidecar.protocol import OutputInfo
from trackit_sidecar.reproduce.document import read_gathered, to_notebook, to_script
from trackit_sidecar.reproduce.gather import GatherError, Target, gather

from .records import history


def code(result) -> str:
    """Every gathered statement, origin comments removed."""
    return "\n".join(line for cell in result.cells for line in cell.source.splitlines()
                     if not line.startswith("# from cell"))


def assert_compiles(result) -> None:
    for cell in result.cells:
        compile(magics.strip_magics(cell.source), "<gathered>", "exec")
    compile(to_script(result), "<script>", "exec")


def test_bare_library_calls_only_show_but_global_options_and_unknown_calls_are_kept():
    doc = history([
        ("c1", "import numpy as np\nimport pandas as pd\nimport nltk\nv = np.array([1.0, np.nan])"),
        ("c2", "np.nansum(v), np.nanmax(v)\npd.set_option('display.max_rows', 5)\npd.set_option('mode.copy_on_write', True)"),
        ("c3", "nltk.download('punkt')\nw = v * 2"),
    ])
    gathered = code(gather(doc, Target("w")))
    assert "nansum" not in gathered and "display.max_rows" not in gathered
    assert "pd.set_option('mode.copy_on_write', True)" in gathered and "nltk.download('punkt')" in gathered


def test_expression_chains_built_from_a_module_only_show():
    doc = history([
        ("c1", "import polars as pl\ndf = pl.DataFrame({'a': [1, 2], 'b': ['x', 'y']})"),
        ("c2", "df.select(pl.col('a').first().alias('first'), (pl.col('a') >= 2).sum())\n"
               "(df.group_by('b').agg(pl.col('a').sum()).sort('a').head())\nvalues = [3, 1]\nvalues.copy().sort()"),
        ("c3", "out = df.filter(pl.col('a') > 1)"),
    ])
    assert [c.origin.cell_id for c in gather(doc, Target("out")).cells] == ["c1", "c3"]
    # a sort of a copy leaves `values` alone; a sort of `values` changes it
    assert "values.copy().sort()" not in code(gather(doc, Target("values")))


def test_keeps_only_what_the_variable_needs_in_execution_order():
    doc = history([
        ("c1", "import pandas as pd\nimport matplotlib.pyplot as plt\ndf = pd.read_csv('train.csv')\ndf.head()"),
        ("c2", "print(df.shape)\ndf.describe()"),
        ("c3", "other = df.copy()\nother['z'] = 1"),
        ("c4", "df = df.dropna(subset=['age'])\nlen(df)"),
        ("c5", "plt.hist(df.age)\nplt.show()"),
        ("c6", "adults = df[df.age >= 18]\nadults.shape"),
    ])
    result = gather(doc, Target("adults"))
    assert [c.origin.cell_id for c in result.cells] == ["c1", "c4", "c6"]
    assert code(result).splitlines() == [
        "import pandas as pd",
        "df = pd.read_csv('train.csv')",
        "df = df.dropna(subset=['age'])",
        "adults = df[df.age >= 18]",
    ]
    assert [c.origin.seq for c in result.cells] == [1, 4, 6]
    assert result.cells[-1].compare == ["adults"]
    assert_compiles(result)


def test_out_of_order_execution_follows_the_order_cells_ran_not_their_position():
    # the user ran cell 3, then cell 1, then cell 2: cell 2 reads what cell 1 wrote
    doc = history([
        ("c3", "x = 10", 2),
        ("c1", "x = 1", 0),
        ("c2", "y = x + 1", 1),
        ("c3", "x = 10", 2),
    ])
    result = gather(doc, Target("y"))
    assert [(c.origin.cell_id, c.origin.seq) for c in result.cells] == [("c1", 2), ("c2", 3)]
    assert "x = 10" not in code(result)


def test_edited_cell_gathers_the_versions_that_ran_and_says_it_was_edited():
    doc = history([
        ("c1", "import pandas as pd\ndf = pd.read_csv('a.csv')"),
        ("c2", "df = df.fillna(0)"),
        ("c2", "df = df.fillna(df.mean())"),  # edited and re-run on top of version 1's result
        ("c3", "total = df.sum()"),
    ])
    current = {"c1": "import pandas as pd\ndf = pd.read_csv('a.csv')", "c2": "df = df.fillna(-1)",  # edited again
               "c3": "total = df.sum()"}
    result = gather(doc, Target("total"), current)
    c2 = [c for c in result.cells if c.origin.cell_id == "c2"]
    # both runs shaped df, in that order: exactly as it was computed, not as the notebook reads now
    assert [(c.origin.seq, c.origin.version, c.origin.versions, c.origin.state) for c in c2] == [
        (2, 1, 2, "edited"), (3, 2, 2, "edited")]
    assert "df = df.fillna(0)" in c2[0].source and "df = df.fillna(df.mean())" in c2[1].source
    assert "fillna(-1)" not in code(result)
    assert "edited since" in c2[1].source.splitlines()[0]
    assert {c.origin.state for c in result.cells if c.origin.cell_id != "c2"} == {"current"}


def test_an_edit_that_starts_over_drops_the_earlier_version():
    doc = history([
        ("c1", "import pandas as pd"),
        ("c2", "df = pd.read_csv('a.csv')"),
        ("c2", "df = pd.read_csv('b.csv')"),
        ("c3", "n = len(df)"),
    ])
    result = gather(doc, Target("n"), {"c1": "import pandas as pd", "c2": "df = pd.read_csv('b.csv')",
                                       "c3": "n = len(df)"})
    assert "a.csv" not in code(result)
    c2 = next(c for c in result.cells if c.origin.cell_id == "c2")
    assert (c2.origin.version, c2.origin.state) == (2, "current")
    assert "edited" not in c2.source and "version 2 of 2" in c2.source


def test_deleted_cell_is_gathered_and_marked():
    doc = history([
        ("c1", "import numpy as np\nrate = 0.5"),
        ("gone", "rate = rate * 2"),
        ("c3", "result = np.round(rate, 2)"),
    ])
    result = gather(doc, Target("result"), {"c1": "import numpy as np\nrate = 0.5", "c3": "result = np.round(rate, 2)"})
    deleted = [c for c in result.cells if c.origin.cell_id == "gone"]
    assert deleted and deleted[0].origin.state == "deleted"
    assert "deleted from the notebook" in deleted[0].source.splitlines()[0]
    assert "rate = rate * 2" in deleted[0].source


def test_function_defined_in_one_cell_reads_globals_at_the_call_not_at_the_def():
    doc = history([
        ("c1", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, None]})"),
        ("c2", "threshold = 0\n\ndef clean(frame):\n    return frame[frame.a > threshold]"),
        ("c3", "threshold = 1"),  # changes what clean() does, though clean itself is unchanged
        ("c4", "unused = 5"),
        ("c5", "cleaned = clean(df)"),
    ])
    result = gather(doc, Target("cleaned"))
    gathered = code(result)
    assert "def clean(frame):" in gathered and "threshold = 1" in gathered
    assert "unused" not in gathered
    # the def-time value of threshold is overwritten before the call: not needed
    assert "threshold = 0" not in gathered
    assert_compiles(result)


def test_function_calling_another_function_brings_both():
    doc = history([
        ("c1", "def scale(v):\n    return v * factor"),
        ("c2", "def pipeline(v):\n    return scale(v) + 1"),
        ("c3", "factor = 3"),
        ("c4", "out = pipeline(2)"),
    ])
    gathered = code(gather(doc, Target("out")))
    assert "def scale" in gathered and "def pipeline" in gathered and "factor = 3" in gathered


def test_global_assigned_in_a_function_counts_at_every_call():
    doc = history([
        ("c1", "counter = 0"),
        ("c2", "def bump():\n    global counter\n    counter += 1"),
        ("c3", "bump()"),
        ("c4", "print(counter)"),
        ("c5", "bump()"),
        ("c6", "final = counter * 10"),
    ])
    result = gather(doc, Target("final"))
    assert [c.origin.cell_id for c in result.cells] == ["c1", "c2", "c3", "c5", "c6"]


def test_in_place_mutation_by_method_and_inplace_keyword():
    doc = history([
        ("c1", "import pandas as pd\ndf = pd.DataFrame({'a': [1, None], 'b': [3, 4]})\nnames = []"),
        ("c2", "df.fillna(0, inplace=True)"),
        ("c3", "names.append('a')\nnames.extend(['b'])"),
        ("c4", "df.drop(columns=['b'], inplace=True)\ndf.info()"),
        ("c5", "picked = df[names[:1]]"),
    ])
    gathered = code(gather(doc, Target("picked")))
    for line in ("df.fillna(0, inplace=True)", "names.append('a')", "names.extend(['b'])",
                 "df.drop(columns=['b'], inplace=True)"):
        assert line in gathered
    assert "info()" not in gathered


def test_helper_that_changes_its_argument_in_place_is_kept_when_called_bare():
    doc = history([
        ("c1", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})"),
        ("c2", "def add_flag(frame):\n    frame['flag'] = frame.a > 1\n\ndef show(frame):\n    print(frame.head())"),
        ("c3", "add_flag(df)\nshow(df)"),
        ("c4", "flags = df.flag.sum()"),
    ])
    gathered = code(gather(doc, Target("flags")))
    assert "add_flag(df)" in gathered and "def add_flag" in gathered
    assert "show(df)" not in gathered and "def show" not in gathered


def test_a_method_that_sets_attributes_of_its_instance_changes_it():
    doc = history([
        ("c1", "import numpy as np\nclass Model:\n    def train(self, X):\n        self.w = X.mean()\n        return 0\n"
               "    def predict(self, X):\n        return X * self.w\n    def describe(self):\n        return 'model'"),
        ("c2", "model = Model()\nX = np.arange(4.0)"),
        ("c3", "losses = model.train(X)\nname = model.describe()"),
        ("c4", "pred = model.predict(X)"),
    ])
    gathered = code(gather(doc, Target("pred")))
    assert "losses = model.train(X)" in gathered
    assert "name = model.describe()" not in gathered  # describe() leaves the model alone


def test_variable_rebound_by_a_loop_keeps_the_loop_and_drops_prints_inside_it():
    doc = history([
        ("c1", "x = 1\nlog = []"),
        ("c2", "for i in range(3):\n    x = x * 2\n    print(i, x)\n    log.append(x)"),
        ("c3", "doubled = x"),
    ])
    result = gather(doc, Target("doubled"))
    gathered = code(result)
    assert "for i in range(3):\n    x = x * 2\n    log.append(x)" in gathered
    assert "print" not in gathered
    assert_compiles(result)


def test_loop_whose_body_only_prints_becomes_pass():
    doc = history([
        ("c1", "total = 0"),
        ("c2", "for i in range(3):\n    total += i\n    if i:\n        print(i)"),
        ("c3", "answer = total"),
    ])
    result = gather(doc, Target("answer"))
    assert "    if i:\n        pass" in code(result)
    assert_compiles(result)


def test_imports_keep_only_the_names_used():
    doc = history([
        ("c1", "from sklearn.metrics import accuracy_score, classification_report, confusion_matrix\nimport os, json"),
        ("c2", "acc = accuracy_score([1, 0], [1, 1])"),
    ])
    gathered = code(gather(doc, Target("acc")))
    assert "from sklearn.metrics import accuracy_score\n" in gathered + "\n"
    assert "classification_report" not in gathered and "import os" not in gathered


def test_seed_and_every_earlier_draw_of_the_same_generator_are_kept():
    doc = history([
        ("c1", "import numpy as np\nimport pandas as pd\nnp.random.seed(42)"),
        ("c2", "df = pd.DataFrame({'a': range(100)})"),
        ("c3", "df.sample(5)"),  # only displayed, but it advances numpy's global generator
        ("c4", "noise = np.random.rand(3)"),
        ("c5", "picked = df.sample(frac=0.5)"),
    ])
    result = gather(doc, Target("picked"))
    gathered = code(result)
    assert "np.random.seed(42)" in gathered and "df.sample(5)" in gathered and "noise = np.random.rand(3)" in gathered


def test_random_state_makes_the_global_generator_irrelevant_but_the_seed_is_still_kept():
    doc = history([
        ("c1", "import numpy as np\nfrom sklearn.model_selection import train_test_split\nnp.random.seed(0)"),
        ("c2", "X = np.arange(20).reshape(10, 2)\ny = np.arange(10)"),
        ("c3", "np.random.rand(2)"),
        ("c4", "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)"),
    ])
    gathered = code(gather(doc, Target("X_train")))
    assert "np.random.seed(0)" in gathered  # kept: it changes state no def-use sees
    assert "np.random.rand(2)" not in gathered  # the split does not draw from the global generator


def test_failed_executions_are_left_out_and_a_failed_target_is_refused():
    doc = history([
        ("c1", "a = 1"),
        ("c2", "a = a + undefined_name", 1, "error"),
        ("c3", "b = a * 2"),
        ("c4", "c = b / 0", 3, "error"),
    ])
    result = gather(doc, Target("b"))
    assert [c.origin.cell_id for c in result.cells] == ["c1", "c3"]
    assert any("failed" in note and "`a`" in note for note in result.notes)
    with pytest.raises(GatherError, match="only written by runs that failed"):
        gather(doc, Target("c"))
    with pytest.raises(GatherError, match="wrote `nothing`"):
        gather(doc, Target("nothing"))


def test_an_unknown_variable_is_answered_with_the_data_variables_not_the_imports():
    # the bundled example listed `LogisticRegression`, `accuracy_score`, ... as "recorded variables"
    doc = history([("c1", "import pandas as pd\nfrom sklearn.metrics import accuracy_score"), ("c2", "df = pd.DataFrame()")])
    with pytest.raises(GatherError, match=r"\(recorded variables include: df\)$"):
        gather(doc, Target("nothing"))


def traceback_output(line: int, name: str = "ModuleNotFoundError") -> OutputInfo:
    """An error output as the editor and `trackit run` store it: the kernel's colored traceback in `stack`."""
    stack = (f"\x1b[31m{name}\x1b[39m   Traceback (most recent call last)\n\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m"
             f"\x1b[32mIn[3]\x1b[39m\x1b[32m, line {line}\x1b[39m\n\x1b[32m----> \x1b[39m{line} import old_api\n")
    text = json.dumps({"name": name, "message": "boom", "stack": stack})
    return OutputInfo(output_type="error", mime="application/vnd.code.notebook.error", size=len(text), sha256="0",
                      text=text)


def test_a_failed_run_contributes_the_statements_before_the_failing_line():
    # the import cell failed on its third line, but pandas was imported by then and the session went on with it
    doc = history([
        ("c1", "import pandas as pd\nimport numpy as np\nimport old_api\nhelper = old_api.thing", 0, "error"),
        ("c2", "df = pd.DataFrame({'a': [1, 2]})"),
    ])
    doc.executions[0].outputs = [traceback_output(3)]
    result = gather(doc, Target("df"))
    first = result.cells[0]
    assert first.source.splitlines() == [
        "# from cell 1, run #1; that run failed at line 3: only the statements above it ran",
        "import pandas as pd",
    ]
    assert first.origin.failed_at == 3
    assert not any("failed" in note for note in result.notes)
    # without a traceback naming the line, nothing of it is gathered, and the result says so
    doc.executions[0].outputs = []
    result = gather(doc, Target("df"))
    assert [c.origin.cell_id for c in result.cells] == ["c2"]
    assert any(note.startswith("`pd` was only defined by run #1 (cell 1), which failed") for note in result.notes)


def test_only_the_targets_session_counts():
    doc = history([
        ("c1", "base = 1", 0, "ok", 1),
        ("c2", "base = base + 1", 1, "ok", 1),
        ("c1", "base = 1", 0, "ok", 2),  # kernel restarted: session 2 starts from nothing
        ("c3", "value = base * 10", 2, "ok", 2),
    ])
    result = gather(doc, Target("value"))
    assert result.session == 2
    assert [c.origin.seq for c in result.cells] == [3, 4]


def test_magics_become_what_ipython_would_run_and_the_result_compiles():
    doc = history([
        ("c1", "%matplotlib inline\n!pip install tqdm\nimport pandas as pd"),
        ("c2", "%time df = pd.DataFrame({'a': [1, 2]})\n%cd data\nfiles = !ls"),
        ("c3", "%%time\ncount = len(df) + len(files)"),
    ])
    result = gather(doc, Target("count"))
    gathered = code(result)
    assert "%matplotlib" not in gathered and "pip install" not in gathered
    assert "df = pd.DataFrame({'a': [1, 2]})" in gathered and "%time" not in gathered
    assert "%cd data" in gathered and "files = !ls" in gathered
    assert "count = len(df) + len(files)" in gathered and "%%time" not in gathered
    assert result.environment == ["!pip install tqdm"]
    assert_compiles(result)
    script = to_script(result)
    assert "# IPython only, not run as a script: %cd data" in script


def test_a_file_written_and_read_back_links_the_two_cells():
    doc = history([
        ("c1", "import pandas as pd\nraw = pd.DataFrame({'a': [1, 2]})\nraw.to_csv('clean.csv', index=False)"),
        ("c2", "raw.to_parquet('unused.parquet')"),
        ("c3", "df = pd.read_csv('clean.csv')"),
    ])
    gathered = code(gather(doc, Target("df")))
    assert "raw.to_csv('clean.csv', index=False)" in gathered
    assert "unused.parquet" not in gathered


def test_whole_execution_target_keeps_its_displayed_metric():
    doc = history([
        ("c1", "from sklearn.metrics import accuracy_score\ny = [1, 0, 1]\npred = [1, 1, 1]"),
        ("c2", "print(f'accuracy: {accuracy_score(y, pred):.3f}')"),
    ])
    result = gather(doc, Target(seq=2))
    assert "print(f'accuracy: {accuracy_score(y, pred):.3f}')" in code(result)
    assert "accuracy_score" in result.cells[0].source
    assert [c.outputs for c in result.cells] == [False, True]  # the replay must print what the run printed


def test_unseen_names_are_reported_not_hidden():
    doc = history([("c1", "value = helper_from_startup(3)")])
    result = gather(doc, Target("value"))
    assert any("`helper_from_startup`" in note for note in result.notes)


def test_notebook_round_trip_keeps_origins():
    doc = history([("c1", "a = 1"), ("c2", "b = a + 1")])
    result = gather(doc, Target("b"), {"c1": "a = 1", "c2": "b = a + 1"})
    notebook = to_notebook(result, kernel_name="python3")
    import nbformat

    nbformat.validate(nbformat.from_dict(notebook))
    meta, cells = read_gathered(notebook)
    assert meta["variable"] == "b" and meta["seq"] == 2
    assert [(c.origin.cell_id, c.origin.seq, c.compare, c.outputs) for c in cells] == [
        ("c1", 1, ["a"], False), ("c2", 2, ["b"], False)]


def test_code_is_not_a_value_for_verify_to_compare():
    # pandas_06_data_cleaning gathered: verify said "no runtime facts were recorded for `pd`" (a cell setting
    # pd.options) and "... for `clean_column_name`" (a def reading no global): neither is a value to reproduce; a
    # display option changes no data, so `df` no longer needs that cell at all (rev30)
    doc = history([("c1", "import pandas as pd"), ("c2", "pd.options.display.max_columns = 45"),
                   ("c3", "def clean(name):\n    return name.strip()"),
                   ("c4", "df = pd.DataFrame({'a ': [1]}).rename(columns=clean)")])
    result = gather(doc, Target("df"))
    assert {c.origin.cell_id: c.compare for c in result.cells} == {"c1": [], "c3": [], "c4": ["df"]}

