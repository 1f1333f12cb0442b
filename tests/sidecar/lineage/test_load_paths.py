"""A loader given a name names the string the name was bound to (analysis ANALYZER_VERSION 20): the sidecar hashes
that file as the run's input. Without it the load step named the variable and no data revision was kept (rev11)."""

from trackit_sidecar.lineage.analysis import analyze_cell, apply_context, is_bound_path


def _loads(cells: list[str]) -> tuple[list[str], dict[str, str]]:
    context: dict[str, str] = {}
    details: list[str] = []
    for source in cells:
        analysis = analyze_cell(source, "python", None, context)
        apply_context(context, analysis.context_delta)
        details += [step.detail for step in analysis.steps if step.op == "load"]
    return details, context


def test_a_path_bound_in_the_same_cell_or_an_earlier_one_is_the_loads_detail():
    assert _loads(["import pandas as pd\npath = 'data/x.csv'\ndf = pd.read_csv(path)"])[0] == ["data/x.csv"]
    details, context = _loads(["import pandas as pd\nDATA = 'data/x.csv'", "df = pd.read_csv(DATA, sep=';')"])
    assert details == ["data/x.csv"] and is_bound_path(context, "data/x.csv")


def test_a_name_bound_again_to_something_else_is_not_that_path_any_more():
    details, context = _loads(["import pandas as pd\nimport os\npath = 'x.csv'",
                               "path = os.path.join('data', 'x.csv')", "df = pd.read_csv(path)"])
    assert details == ["path"] and not is_bound_path(context, "x.csv")


def test_a_name_rebound_by_a_loop_a_parameter_or_unpacking_is_not_the_string_bound_before():
    # before: each of these named the file bound first, a wrong input for the run
    for cells in (["import pandas as pd\npath = 'a.csv'", "for path in ['b.csv', 'c.csv']:\n    df = pd.read_csv(path)"],
                  ["import pandas as pd\npath = 'a.csv'", "def load(path):\n    return pd.read_csv(path)"],
                  ["import pandas as pd\npath = 'a.csv'", "frames = [pd.read_csv(path) for path in files]"],
                  ["import pandas as pd\npath = 'a.csv'", "name, path = pick()\ndf = pd.read_csv(path)"],
                  ["import pandas as pd\npath = 'a.csv'", "for path in files:\n    pass", "df = pd.read_csv(path)"]):
        details, context = _loads(cells)
        assert "a.csv" not in details, (cells, details)
