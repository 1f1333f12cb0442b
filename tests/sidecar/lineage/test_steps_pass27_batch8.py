"""Twenty-seventh pass (issue 10, acc53): batch 8's causes, now that it is tuning material, each read against a
clause of what-is-a-step.md or CONVENTIONS on small hand-written cells, with controls:

- pyjanitor's DataFrame methods (kb/janitor.py), registered on every pandas frame by `import janitor` and called by
  notebooks that document it without the import in sight (janitor-docs__long-to-wide's `pivot_wider`, anime's
  `remove_columns` / `fill_empty` / `filter_on`): each is the op its name says, as pandas' own are; a name pandas has
  too keeps pandas' op;
- an imported helper named for printing the scores (`myfunctions.print_scores(pipe, X_train, X_test, y_train,
  y_test)`, autotrader-jk__linreg's ten model cells) that is handed a fitted model and the held-out data must predict
  and score to print anything: a black box that evaluates (CONVENTIONS 4b, 27). Handed scores already computed it
  only shows them (test_steps_pass16_recall), and a drawing helper handed the same model draws (8);
- a row put at the label one past the frame's last (`table2_df.loc[len(table2_df)] = row1`, pandas' setting with
  enlargement, the common way to add a row since `DataFrame.append` went) adds a row to the table: a concat, as
  `pd.concat([df, pd.DataFrame([row])])` and `df.append(row)` are (what-is-a-step.md names concat; context-dep__tables
  builds its Table 2 so, eight cells). A row put at another label stays values put at positions;
- one row's label kept under a name first (`best_idx = t["err"].idxmin(); best = t.loc[best_idx, "hour"]`) picks one
  value of one column, as `t.loc[t["err"].idxmin(), "hour"]` already did: a single value, no step (CONVENTIONS 9;
  seattle-parking__model's summary cell, six such look-ups);
- BeautifulSoup's `tag.get_text()` is the text of an element of a page already fetched, not a loader named
  `get_text` (kb.sources.HELD_OBJECT_GETTERS; autotrader-jk__scraping-cleaning's eight scraper functions read as eight
  loads). An object's own `get_data()` still loads (CONVENTIONS 4b);
- a notebook function registered as a frame method with pandas_flavor (`@pf.register_dataframe_method def
  explode(df, column_name, sep)`, janitor-docs__anime) is called `df.explode(column_name=..., sep=...)`: the call is
  of the notebook's own function, whose body is classified where written (CONVENTIONS 1), not pandas' `explode`
  (a reshape). Without the decorator, pandas' method keeps its op;
- a single column whose rows are only renumbered (`y = df_train["sii"].reset_index(drop=True)`, cmi-piu's target)
  still ends the assigned expression: select_columns (CONVENTIONS 18, 14), as `df["sii"].copy()` is;
- rows collected in a loop whose values are read out of the data (`info.append([subject, ssd, len(stops)])` per
  subject of a frame, `rows.append({"id": p["workerId"]})` per participant of JSON read before) hold existing data:
  the table made of them converts it (CONVENTIONS 12: other), as a list of computed values already did; rows of values
  written in the code stay data built in code, a load (test_steps_pass17_ops).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

FRAME = "import pandas as pd\ndf = pd.read_csv('people.csv')\n"
JANITOR = "import pandas as pd\nimport janitor\ndf = pd.read_csv('people.csv')\n"

JANITOR_METHODS = [
    # shown, a reshape builds a new table: the chain's steps count (CONVENTIONS 6)
    (FRAME, "df.pivot_wider(index='name', names_from='variable', values_from='value')", ["reshape"]),
    (JANITOR, "df.pivot_longer(index='id', names_to='year', values_to='n')", ["reshape"]),
    (FRAME, "(df.assign(num=0)\n   .pivot_wider(index='num', names_from='name', values_from=['n', 'pct']))",
     ["derive_feature", "reshape"]),
    (FRAME, "df.encode_categorical(variable=(None, 'appearance')).pivot_wider(index='geoid', names_from='variable')",
     ["type_cast", "reshape"]),
    (FRAME, "wide = df.pivot_wider(index=['a', 'b'], names_from='idx', flatten_levels=False).collapse_levels()",
     ["reshape", "rename"]),
    # assigned, each call its step
    (FRAME, "df = df.fill_empty(column_names=['rank'], value=0).filter_on('rank != 0')",
     ["impute_missing", "filter_rows"]),
    (JANITOR, "df = df.remove_columns(column_names=['aired'])", ["drop_columns"]),
    (JANITOR, "df = df.clean_names()", ["rename"]),
    (JANITOR, "df = df.deconcatenate_column(column_name='aired', new_column_names=['start', 'end'], sep=',')",
     ["text_clean"]),
    (JANITOR, "df = df.to_datetime('start', format='%Y-%m-%d')", ["datetime_parse"]),
    # controls: a name pandas has keeps pandas' op; shown, a filter alone is inspection (CONVENTIONS 6)
    (FRAME, "df = df.explode('tags')", ["reshape"]),
    (JANITOR, "df.filter_on('rank != 0')", []),
]


@pytest.mark.parametrize("setup,cell,expected", JANITOR_METHODS)
def test_pyjanitor_methods_are_the_op_their_name_says(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


MODEL = """import pandas as pd
import myfunctions
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
df = pd.read_csv('cars.csv')
X_train, X_test, y_train, y_test = train_test_split(df[['year', 'mileage']], df['price'])
pipe = Pipeline([('model', LinearRegression())])
pipe.fit(X_train, y_train)
"""

SCORE_PRINTERS = [
    (MODEL, "myfunctions.print_scores(pipe, X_train, X_test, y_train, y_test)", ["evaluate"]),
    (MODEL + "from utils import show_model_performance\n", "show_model_performance(pipe, X_test, y_test)",
     ["evaluate"]),
    (MODEL + "from helpers import *\n", "print_results(pipe, X_val=X_test, y_val=y_test)", ["evaluate"]),
    # controls: a drawing helper handed the same model draws (CONVENTIONS 8); a model not fitted, or no held-out
    # data handed, is nothing the name can score; scores already computed are only shown
    (MODEL, "myfunctions.plot_predictions(pipe, X_train, X_test, y_train, y_test)", []),
    (MODEL + "from myfunctions import print_scores\nmodel = LinearRegression()\n",
     "print_scores(model, X_test, y_test)", []),
    (MODEL + "from myfunctions import print_scores\n", "print_scores(pipe, X_train, y_train)", []),
    (MODEL + "from myfunctions import print_scores\nfrom sklearn.metrics import r2_score\n"
             "results = {'r2': r2_score(y_test, pipe.predict(X_test))}\n", "print_scores(results)", []),
]


@pytest.mark.parametrize("setup,cell,expected", SCORE_PRINTERS)
def test_an_imported_score_printer_handed_a_fitted_model_and_held_out_data_evaluates(
        setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TABLE = "import pandas as pd\ntable2_df = pd.DataFrame(columns=['comparison', 'p'])\nrow1 = ['fast vs slow', 0.549]\n"

APPENDED_ROWS = [
    (TABLE, "table2_df.loc[len(table2_df)] = row1", ["concat"]),
    (TABLE, "table2_df.loc[len(table2_df.index)] = ['deadline', 0.12]", ["concat"]),
    (TABLE, "table2_df.loc[table2_df.shape[0]] = row1\ntable2_df", ["concat"]),
    # controls: a row put at a label written in the code, or one past another frame's length, is values put at
    # positions (kb.VALUE_ASSIGNMENT "positions")
    (TABLE, "table2_df.loc[3] = row1", ["other"]),
    (TABLE + "other = pd.DataFrame({'a': [1, 2]})\n", "table2_df.loc[len(other)] = row1", ["other"]),
]


@pytest.mark.parametrize("setup,cell,expected", APPENDED_ROWS)
def test_a_row_put_one_past_the_last_is_appended(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


ERRORS = "import pandas as pd\nhour_analysis = pd.read_csv('errors.csv')\n"

ONE_LABEL_LOOKUPS = [
    (ERRORS, "best_idx = hour_analysis['Absolute_Error'].idxmin()\nbest_hour = hour_analysis.loc[best_idx, 'Hour']", []),
    (ERRORS, "worst_idx = hour_analysis.Absolute_Error.idxmax()\nif worst_idx is not None:\n"
             "    worst = hour_analysis.loc[worst_idx, 'Hour']\n    print(worst)", []),
    # controls: rows kept by a condition under a name filter, also when the name held a row label before
    (ERRORS, "rows = hour_analysis['Absolute_Error'] > 3\nbad = hour_analysis.loc[rows, 'Hour']", ["filter_rows"]),
    (ERRORS, "idx = hour_analysis['Absolute_Error'].idxmin()\nidx = hour_analysis['Absolute_Error'] > 3\n"
             "bad = hour_analysis.loc[idx, 'Hour']", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", ONE_LABEL_LOOKUPS)
def test_one_row_label_kept_under_a_name_picks_one_value(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PAGE = "import numpy as np\nimport requests\nfrom bs4 import BeautifulSoup\n"

PAGE_TEXT = [
    (PAGE, "def scrape_price():\n    try:\n        return car.find('div', attrs={'class': 'price'}).get_text().strip()\n"
           "    except:\n        return np.nan", []),
    (PAGE + "soup = BeautifulSoup('<h1>x</h1>', 'html.parser')\n", "title = soup.find('h1').get_text()", []),
    # controls: the project's own object named for reading data reads it, a table read from the page too
    (PAGE + "import acquire\n", "df = acquire.get_data(verbose=True)", ["load"]),
    (PAGE + "import pandas as pd\n", "tables = pd.read_html('https://example.org/cars')", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", PAGE_TEXT)
def test_a_parsed_elements_text_is_no_load(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FLAVOR = "import pandas as pd\nimport pandas_flavor as pf\ndf = pd.read_csv('anime.csv')\n"
EXPLODE = ("def explode(df, column_name, sep):\n    df[column_name] = df[column_name].str.split(sep)\n"
           "    return df\n")

REGISTERED_METHODS = [
    (FLAVOR + "@pf.register_dataframe_method\n" + EXPLODE, "clean = df.explode(column_name='genre', sep=',')", []),
    (FLAVOR + "@pf.register_dataframe_method\ndef str_trim(df, column_name):\n"
              "    df[column_name] = df[column_name].str.strip()\n    return df\n",
     "clean = df.str_trim('genre').rename(columns={'genre': 'g'})", ["rename"]),
    (FLAVOR + "from pandas_flavor import register_dataframe_method\n@register_dataframe_method\n" + EXPLODE,
     "clean = df.explode(column_name='studio', sep=',')", []),
    # controls: the body is classified where it is written; a function not registered leaves pandas' method its op
    (FLAVOR, "@pf.register_dataframe_method\n" + EXPLODE, ["text_clean"]),
    (FLAVOR + EXPLODE, "clean = df.explode('genre')", ["reshape"]),
]


@pytest.mark.parametrize("setup,cell,expected", REGISTERED_METHODS)
def test_a_method_the_notebook_registers_is_its_own_function(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TRAIN = "import pandas as pd\ndf_train = pd.read_csv('train.csv')\n"

RENUMBERED_COLUMNS = [
    (TRAIN, "y = df_train['sii'].reset_index(drop=True)", ["select_columns"]),
    (TRAIN, "y = df_train[df_train.age > 5]['sii'].reset_index(drop=True)", ["filter_rows", "select_columns"]),
    # controls: the index moved into a column is a table of two columns (other); a statistic of the column is an
    # answer; a frame's columns dropped and renumbered stay the drop
    (TRAIN, "y = df_train['sii'].reset_index()", ["other"]),
    (TRAIN, "n = df_train['sii'].sum()", []),
    (TRAIN, "X = df_train.drop('sii', axis=1).reset_index(drop=True)", ["drop_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", RENUMBERED_COLUMNS)
def test_a_column_only_renumbered_is_still_selected(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PARTICIPANTS = "import json\nimport pandas as pd\nwith open('results.json') as f:\n    all_data = json.load(f)\n" \
    "d = pd.read_csv('trials.csv')\n"

ROWS_READ_FROM_DATA = [
    (PARTICIPANTS + "rows = []\nfor p in all_data['values']:\n    rows.append({'id': p['workerId'], 'n': p['score']})\n",
     "stats_df = pd.DataFrame(rows)", ["other"]),
    (PARTICIPANTS, "info = []\nfor subject in d.Subject.unique():\n    subdata = d.query('Subject == %d' % subject)\n"
                   "    info.append([subject, subdata.shape[0], subdata.rt.mean()])\n"
                   "info_df = pd.DataFrame(info, columns=['subject', 'n', 'rt'])", ["filter_rows", "other"]),
    # controls: rows of values written in the code are data built in code; literals appended too
    (PARTICIPANTS, "rows = []\nfor name, shock in [('crash', -0.07), ('normal', -0.01)]:\n"
                   "    rows.append({'scenario': name, 'impact': shock * 1000})\nstress = pd.DataFrame(rows)", ["load"]),
    (PARTICIPANTS, "rows = []\nfor i in range(3):\n    rows.append((i, 'a'))\nt = pd.DataFrame(rows)", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", ROWS_READ_FROM_DATA)
def test_rows_read_from_data_and_collected_are_converted_not_loaded(setup: str, cell: str,
                                                                   expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
