"""Twenty-seventh pass (issue 10, acc53): batch 8's causes, now that it is tuning material, each read against a
clause of what-is-a-step.md or CONVENTIONS on small hand-written cells, with controls:

- pyjanitor's DataFrame methods (kb/janitor.py), registered on every pandas frame by `import janitor` and called by
  notebooks that document it without the import in sight (janitor-docs__long-to-wide's `pivot_wider`, anime's
  `remove_columns` / `fill_empty` / `filter_on`): each is the op its name says, as pandas' own are; a name pandas has
  too keeps pandas' op.
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
