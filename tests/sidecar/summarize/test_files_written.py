"""The files a notebook writes (`to_csv`, `np.save`, `joblib.dump`, `pickle.dump` into an opened file), said in the tree
and the summary: which file, from which variable, in which cell. Saving is no step, and before this nothing said them.

Run for real: a notebook through `trackit run` (a real ipykernel, a real DuckDB file), then `trackit lineage` and
`trackit summarize`. A write in a cell that failed is not said as done.
"""

from __future__ import annotations

import pytest

from ..recorded_notebook import trackit, write_notebook

CELLS = [
    # 1
    "import pickle\nimport joblib\nimport numpy as np\nimport pandas as pd\n"
    "df = pd.DataFrame({'a': [1.0, None, 3.0], 'b': [4, 5, 6]})",
    # 2
    "clean = df.dropna()\nclean.to_csv('clean.csv', index=False)",
    # 3
    "arr = df['b'].to_numpy()\nnp.save('b.npy', arr)\njoblib.dump(clean, 'clean.joblib')",
    # 4: once per column
    "for col in ['a', 'b']:\n    df[[col]].to_csv(f'{col}.csv')",
    # 5
    "with open('clean.pkl', 'wb') as handle:\n    pickle.dump(clean, handle)",
    # 6: the folder does not exist: the cell fails, nothing is written
    "clean.to_csv('no_such_folder/out.csv')",
]


@pytest.fixture(scope="module")
def said(tmp_path_factory):
    folder = tmp_path_factory.mktemp("writes")
    db = folder / "t.duckdb"
    notebook = write_notebook(folder, CELLS, "writes.ipynb")
    ran = trackit("run", str(notebook), "--db", str(db), cwd=folder)
    assert "stopped: cell 6 failed" in ran.stdout, ran.stdout + ran.stderr  # the last cell only
    assert (folder / "clean.csv").exists() and (folder / "clean.pkl").exists()  # the cells really wrote them
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=folder)
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=folder)
    prompt = trackit("summarize", str(notebook), "--db", str(db), "--dry-run", "--provider", "ollama", cwd=folder)
    assert summary.returncode == 0 and tree.returncode == 0 and prompt.returncode == 0, \
        summary.stderr + tree.stderr + prompt.stderr
    return summary.stdout, tree.stdout, prompt.stdout


def test_the_summary_says_each_file_written_from_what_and_where(said):
    summary, _, _ = said
    section = summary.split("## Files written", 1)[1].split("\n## ", 1)[0]
    assert "- Wrote `clean` to `clean.csv` (`to_csv`) [cell 2]." in section
    assert "- Wrote `arr` to `b.npy` (`np.save`) [cell 3]." in section
    assert "- Wrote `clean` to `clean.joblib` (`joblib.dump`) [cell 3]." in section
    assert "- Wrote `clean` to `clean.pkl` (`pickle.dump`) [cell 5]." in section  # the file `handle` was opened on


def test_a_write_in_a_loop_is_said_once_per_pass_with_its_path_as_written(said):
    summary, _, _ = said
    assert ("Wrote data from `df` to the path `f'{col}.csv'` (`to_csv`), once per pass of a loop [cell 4]."
            in summary)


def test_a_write_in_a_cell_that_failed_is_not_said_as_done(said):
    summary, tree, _ = said
    assert ("`to_csv` of `clean` to `no_such_folder/out.csv` may not have written the file: the cell failed "
            "[cell 6]") in summary
    assert "Wrote `clean` to `no_such_folder/out.csv`" not in summary + tree


def test_the_overview_names_the_files_written(said):
    summary, _, _ = said
    assert "writes `clean.csv`, `b.npy`, `clean.joblib`, `f'{col}.csv'` and `clean.pkl` [cells 2" in summary


def test_the_tree_says_the_file_under_the_cell_that_wrote_it(said):
    _, tree, _ = said
    lines = tree.splitlines()
    cell2 = next(i for i, line in enumerate(lines) if " cell 2 " in line)
    assert "Wrote `clean` to `clean.csv` (`to_csv`)" in "\n".join(lines[cell2:cell2 + 4])
    assert "Wrote `arr` to `b.npy` (`np.save`)" in tree


def test_a_provider_is_told_the_files_written(said):
    _, _, prompt = said
    assert "file written: Wrote `clean` to `clean.csv` (`to_csv`)" in prompt
    assert "file write: `to_csv` of `clean` to `no_such_folder/out.csv` may not have written the file" in prompt
