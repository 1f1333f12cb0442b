from __future__ import annotations

import ast

import pytest

from trackit_sidecar.lineage.magics import TIMEIT_FUNCTION, preprocess, strip_magics


def _lines(text: str) -> list[str]:
    return text.split("\n")


def test_plain_python_is_returned_unchanged():
    source = 'import pandas as pd\ndf = pd.read_csv("a.csv")\nx = 10 % 3\nprint("100%!")\n'
    assert strip_magics(source) == source


def test_line_count_is_kept_for_every_kind_of_magic():
    source = "%matplotlib inline\n!pip install x\ndf?\n%load_ext autoreload\nx = 1\n"
    out = strip_magics(source)
    assert len(_lines(out)) == len(_lines(source))
    assert _lines(out)[4] == "x = 1"
    ast.parse(out)


def test_load_ext_and_matplotlib_become_pass():
    assert strip_magics("%load_ext autoreload\n%autoreload 2\n%matplotlib inline") == "pass\npass\npass"


def test_shell_line_becomes_pass_at_its_indentation():
    source = "for f in files:\n    !rm {f}\n"
    out = strip_magics(source)
    assert _lines(out)[1] == "    ((f),)"
    ast.parse(out)


def test_shell_line_without_interpolation_inside_block_is_pass():
    out = strip_magics("if True:\n    !ls -la\n")
    assert out == "if True:\n    pass\n"


def test_shell_interpolation_dollar_and_braces_are_reads():
    assert strip_magics("!cp $src {dest_dir + '/x'}") == "((dest_dir + '/x'), src,)"


def test_double_dollar_is_an_escape_not_a_read():
    assert strip_magics("!echo $$HOME") == "pass"


def test_assign_from_shell_writes_the_target():
    assert strip_magics("files = !ls") == "files = None"
    assert strip_magics("files = !ls {data_dir}") == "files = ((data_dir),)"


def test_assign_from_time_magic_keeps_the_expression():
    assert strip_magics("result = %time f(x)") == "result = f(x)"


def test_assign_from_other_line_magic_writes_target():
    assert strip_magics("out = %sx ls") == "out = None"


def test_time_line_magic_keeps_statement():
    assert strip_magics("%time model = fit(X, y)") == "model = fit(X, y)"


def test_timeit_line_magic_wraps_statement_in_function():
    out = strip_magics("%timeit -n 10 -r 3 z = f(y)")
    assert out == f"def {TIMEIT_FUNCTION}(): z = f(y)"


def test_timeit_with_compound_statement_that_cannot_be_wrapped_is_pass():
    assert strip_magics("%timeit for i in range(3): pass") == "pass"


@pytest.mark.parametrize("line", ["df?", "df??", "?df", "df.head?", "np.*load*?", "%pinfo df"])
def test_help_lines_become_pass(line):
    assert strip_magics(line) == "pass"


def test_comment_with_question_mark_is_not_help():
    source = "x = 1  # why?"
    assert strip_magics(source) == source


@pytest.mark.parametrize("magic", ["bash", "writefile out.txt", "html", "sql", "script python3", "javascript"])
def test_non_python_cell_magic_blanks_the_cell(magic):
    source = f"%%{magic}\necho hi\nx = 1"
    cell = preprocess(source)
    assert cell.is_python is False
    assert cell.cell_magic == magic.split()[0]
    assert cell.code == "\n\n"


def test_cell_magic_after_leading_blank_lines_is_recognised():
    cell = preprocess("\n\n%%bash\nls")
    assert not cell.is_python and cell.cell_magic == "bash"


def test_time_cell_magic_body_is_python():
    cell = preprocess("%%time\ndf = load()\n!ls")
    assert cell.is_python and cell.cell_magic == "time"
    assert cell.code == "pass\ndf = load()\npass"


def test_capture_cell_magic_writes_its_output_variable():
    assert strip_magics("%%capture --no-stderr captured\nrun()") == "captured = None\nrun()"
    assert strip_magics("%%capture\nrun()") == "pass\nrun()"


def test_timeit_cell_magic_body_becomes_function():
    out = strip_magics("%%timeit\nq = g(h)\n\nr = q + 1")
    assert out == f"def {TIMEIT_FUNCTION}():\n q = g(h)\n\n r = q + 1"
    ast.parse(out)


def test_empty_timeit_cell_is_still_valid():
    out = strip_magics("%%timeit\n# nothing")
    ast.parse(out)
    assert len(_lines(out)) == 2


def test_magic_looking_lines_inside_strings_are_kept():
    source = 'text = """\n!important\n%notmagic\n"""\nother = 1'
    assert strip_magics(source) == source


def test_magic_looking_lines_inside_brackets_are_kept():
    source = "x = (a\n     % b)\n"
    assert strip_magics(source) == source


def test_backslash_continuation_is_not_a_magic():
    source = "x = a \\\n  % b\n"
    assert strip_magics(source) == source


def test_single_quoted_string_with_hash_and_quote():
    source = "s = 'a#b'\n!ls"
    assert strip_magics(source) == "s = 'a#b'\npass"


def test_crlf_line_endings_keep_line_count():
    out = strip_magics("x = 1\r\n%time y = 2\r\n")
    assert out == "x = 1\ny = 2\n"


def test_not_equal_comparison_is_not_shell_assignment():
    source = "flag = a != b"
    assert strip_magics(source) == source


@pytest.mark.parametrize("source, expected", [
    (" df['d'] = pd.to_datetime(df['d'])\n", "df['d'] = pd.to_datetime(df['d'])\n"),
    ("\n    a = 1\n\n    %time b = a\n", "\na = 1\n\nb = a\n"),
])
def test_an_indented_cell_loses_its_common_indentation_as_ipython_runs_it(source, expected):
    # IPython's cleanup transform `leading_indent` dedents the cell before running it; line numbers stay
    assert strip_magics(source) == expected
    ast.parse(strip_magics(source))


def test_control_a_cell_whose_later_lines_are_indented_less_is_left_as_written():
    # nothing is common to every line: IPython runs it as written (and raises IndentationError), so do we
    assert strip_magics(" a = 1\nb = 2\n") == " a = 1\nb = 2\n"
