"""Without pandas' copy-on-write (pandas before 3.0, the option off) a series taken from a frame (`s = df["a"]`) is a
view of its data: a write through it changes the frame. The probe's shortcuts that keep a frame's measurement because
the cell did not write it through its own name (an unnamed object kept; a named one only read) hold only with
copy-on-write. On pandas 2.2 in a real kernel, main's probe gave `s2[5] = -9.0` (s2 taken earlier as `df["a"]`) and
`s = df["a"]; s[0] = -1.0` df's fingerprint from before the write (checked by the lead with a pandas 2.2.3 kernel,
session 22). This project's kernels run pandas 3, where the write copies: here copy-on-write is switched off in the
probe's judgement (objects.copy_on_write) and the test checks what the probe decides to measure."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import objects

from .in_process_probe import new_probe, run_cell

# 40,000 values: past read_only.READ_CODE_MIN_VALUES, so a cell run on its own reads its code
SETUP = "import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({'a': np.arange(20_000.0), 'k': np.arange(20_000) % 7})"


def _decisions(cells: list[str], copy_on_write: bool, monkeypatch) -> tuple[int, int, list[dict]]:
    """(entries kept, named objects only read, the last cell's facts of df) over the cells."""
    monkeypatch.setattr(objects, "copy_on_write", lambda: copy_on_write)
    p = new_probe()
    p.shell.user_ns["__name__"] = "__main__"
    kept = only_read = 0
    for count, source in enumerate(cells, 1):
        before = (p.entries_kept, p.only_read)
        run_cell(p, count, source)
        facts = [f for f in p.facts_for(count) if f.get("variable") == "df"]
        kept, only_read = p.entries_kept - before[0], p.only_read - before[1]
    assert p.errors == []
    return kept, only_read, facts


@pytest.mark.parametrize("cells", [
    [SETUP, "s2 = df['a']", "s2[5] = -9.0"],  # df not named: a view written under another name
    [SETUP, "s = df['a']\ns[0] = -1.0"],  # df named, only read; the view taken from it is written
    [SETUP, "df2 = df.loc[:, ['a']]\ndf2['a'] = 0.0"],  # a column store on a frame that may be a view
])
def test_without_copy_on_write_a_cell_that_writes_a_pandas_object_keeps_no_frames_measurement(cells, monkeypatch):
    kept, only_read, _ = _decisions(cells, False, monkeypatch)
    assert (kept, only_read) == (0, 0)
    # with copy-on-write the same cells keep df's measurement (the write copied first)
    kept, only_read, _ = _decisions(cells, True, monkeypatch)
    assert kept + only_read >= 1


@pytest.mark.parametrize("cells", [
    [SETUP, "x = 1", "print(df.shape)"],
    [SETUP, "df.head()"],
])
def test_without_copy_on_write_a_cell_that_writes_nothing_keeps_the_shortcuts(cells, monkeypatch):
    kept_off, read_off, facts_off = _decisions(cells, False, monkeypatch)
    kept_on, read_on, facts_on = _decisions(cells, True, monkeypatch)
    assert (kept_off, read_off) == (kept_on, read_on) and kept_off + read_off >= 1
    assert facts_off == facts_on
