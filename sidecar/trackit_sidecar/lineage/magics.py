"""Turn an IPython cell into plain Python that `ast` can parse, one output line per input line.

Decisions (what the rest of lineage relies on):

- Line numbers never move: every input line gives exactly one output line, so a SyntaxError or a
  Step's `line` still points at the user's cell.
- A removed line becomes `pass` at the line's own indentation (not a blank): a magic that is the only
  statement of an indented block (`for f in files:\\n    !rm {f}`) must leave a valid block behind.
- `%time stmt` / `%%time` / `%%capture` / `%%prun` / `%%debug`: the statement or body runs in the user
  namespace, so it is kept as ordinary code (its reads and writes count).
- `%timeit stmt` / `%%timeit`: IPython runs the statement inside a generated function, so its
  assignments never reach the namespace. We keep that meaning by wrapping it in
  `def __trackit_timeit__(): ...` (reads still count, writes stay local). `TIMEIT_FUNCTION` is
  filtered out of writes by defuse.
- Any other cell magic (`%%bash`, `%%writefile`, `%%html`, `%%sql`, unknown ones) makes the whole
  cell non-Python: every line becomes blank and `StrippedCell.cell_magic` names the magic so the
  caller can say "not analysed: %%bash cell".
- `!cmd` and other line magics: IPython expands `{expr}` and `$name` in their arguments, which
  reads Python values; those expressions are kept as a tuple expression so they count as reads.
  Without any, the line is `pass`. `x = !cmd` / `x = %magic ...` becomes `x = (<those reads>)` or
  `x = None`, so `x` is written (and derived from what the command interpolated).
- `x = %time expr` assigns the value of `expr`, so it becomes `x = expr`.
- A cell whose every line is indented (` df["d"] = pd.to_datetime(df["d"])`) runs in IPython: its cleanup
  transform `leading_indent` removes the indentation common to all lines first. We do the same, so the cell parses
  as it ran.
- A cell whose last line ends in a backslash continuation with nothing after it
  (`df.groupby("k").size()\\`) is read without it: the kernel that made the notebook ran such a cell (its
  output is saved), while Python 3.11's parser calls it an unexpected end of input. The dangling backslash is
  dropped, so the cell parses as it ran.
- Help lines (`obj?`, `obj??`, `?obj`, `%pinfo obj`) only display documentation; they become `pass`
  and do not count as reads of `obj` (they do not feed any value into later cells).
- Not tracked: names `%run -i script.py` or `%store -r x` bring into the namespace.
- Lines inside multi-line strings or open brackets are never taken for magics (a small scanner
  follows quotes, brackets and backslash continuations).
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

from .kb.python import PYTHON_BODY_CELL_MAGICS

TIMEIT_FUNCTION = "__trackit_timeit__"

# %%timeit runs its body inside a generated function: reads count, writes do not persist.
TIMEIT_CELL_MAGICS = frozenset({"timeit"})
# Line magics whose argument is a Python statement run in the user namespace.
PYTHON_STATEMENT_LINE_MAGICS = frozenset({"time"})
HELP_LINE_MAGICS = frozenset({"pinfo", "pinfo2", "pdoc", "pdef", "psource", "pfile"})

_CELL_MAGIC = re.compile(r"%%(?P<name>[A-Za-z_][\w.-]*)(?P<args>.*)$")
_LINE_MAGIC = re.compile(r"%(?P<name>[A-Za-z_][\w.-]*)(?P<args>.*)$")
# IPython's own assign-from-system / assign-from-magic shape: names (with dots) separated by commas.
_ASSIGN_ESCAPE = re.compile(r"(?P<lhs>[\w.]+(?:\s*,\s*[\w.]+)*)\s*=\s*(?P<esc>!|%)(?P<rest>.*)$")
_HELP = re.compile(r"\?{1,2}\s*[\w.*%]+(?:\(\))?\s*|[\w.*%]+(?:\(\))?\s*\?{1,2}")
# Anything IPython-specific has one of these shapes somewhere; plain Python skips the line-by-line pass.
_MAYBE_IPYTHON = re.compile(r"^[ \t]*[!%?]|\?[ \t\r]*$|=[ \t]*[!%]", re.MULTILINE)
_SPACE_OR_NEWLINE = frozenset(" \t\r\n")
_DOLLAR_NAME = re.compile(r"(?<!\$)\$(?P<name>[A-Za-z_]\w*)")
# timeit options that take a value (-n 100 -r 7 -p 3); -o, -q, -t, -c take none.
_TIMEIT_VALUE_OPTIONS = frozenset({"-n", "-r", "-p"})


@dataclass(frozen=True)
class StrippedCell:
    """The parseable Python for a cell. `code` has as many lines as the source."""

    code: str
    cell_magic: str | None = None  # the cell magic's name, e.g. "bash", when the cell has one
    is_python: bool = True  # False when a non-Python cell magic owns the whole cell


def strip_magics(source: str) -> str:
    """Magic, shell and help lines replaced by plain Python; line numbers kept."""
    return preprocess(source).code


def preprocess(source: str) -> StrippedCell:
    """Like strip_magics, and also say whether the cell is Python at all (see module docstring)."""
    if source[:1] in _SPACE_OR_NEWLINE:
        source = _without_leading_indent(source)
    end = source.rstrip(" \t\r\n")
    if end.endswith("\\"):
        source = end[:-1] + source[len(end):]  # a dangling continuation at the end of the cell (see above)
    if _MAYBE_IPYTHON.search(source) is None:
        return StrippedCell(source.replace("\r\n", "\n") if "\r" in source else source)
    lines = [line.rstrip("\r") for line in source.split("\n")]
    first = _first_code_line(lines)
    if first is None:
        return StrippedCell("\n".join(lines))
    match = _CELL_MAGIC.match(lines[first].strip())
    if match is None:
        return StrippedCell("\n".join(_strip_lines(lines)))

    name = match.group("name")
    head = lines[:first]
    body = lines[first + 1 :]
    if name in PYTHON_BODY_CELL_MAGICS:
        return StrippedCell("\n".join(head + [_cell_magic_head(name, match.group("args"))] + _strip_lines(body)), name)
    if name in TIMEIT_CELL_MAGICS:
        return StrippedCell("\n".join(head + _timeit_cell(body)), name)
    return StrippedCell("\n".join("" for _ in lines), name, is_python=False)


def _without_leading_indent(source: str) -> str:
    """IPython's `leading_indent`: the indentation common to every non-blank line taken off (`textwrap.dedent`);
    blank lines stay, so line numbers do not move."""
    return textwrap.dedent(source)


def _first_code_line(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if line.strip():
            return index
    return None


def _cell_magic_head(name: str, args: str) -> str:
    """The replacement for the `%%name args` line of a Python-bodied cell magic."""
    if name == "capture":
        # `%%capture [--no-stdout] [--no-stderr] [--no-display] [var]` stores the captured output in var.
        words = [w for w in args.split() if not w.startswith("-")]
        if words and words[-1].isidentifier():
            return f"{words[-1]} = None"
    return "pass"


def _timeit_cell(body: list[str]) -> list[str]:
    stripped = _strip_lines(body)
    has_code = any(line.strip() and not line.strip().startswith("#") for line in stripped)
    if not has_code:
        return ["pass"] + stripped
    # One extra space keeps every body line inside the generated function; blank lines stay blank.
    return [f"def {TIMEIT_FUNCTION}():"] + [(" " + line) if line.strip() else line for line in stripped]


def _strip_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    scanner = _Scanner()
    for line in lines:
        if scanner.continues():
            out.append(line)
            scanner.feed(line)
            continue
        replacement = _replace_line(line)
        out.append(line if replacement is None else replacement)
        scanner.feed(line if replacement is None else replacement)
    return out


def _replace_line(line: str) -> str | None:
    """The Python replacement for one logical line, or None when the line is plain Python."""
    body = line.lstrip()
    if not body or body[0] not in "!%?" and "?" not in body and "=" not in body:
        return None
    indent = line[: len(line) - len(body)]
    if body.startswith("!"):
        return indent + _interpolation_statement(body.lstrip("!"))
    if body.startswith("%"):
        return indent + _line_magic_statement(body)
    if _HELP.fullmatch(body):
        return indent + "pass"
    assign = _ASSIGN_ESCAPE.fullmatch(body)
    if assign is not None and not _parses(body):
        return indent + f"{assign.group('lhs')} = {_assigned_value(assign.group('esc'), assign.group('rest'))}"
    return None


def _line_magic_statement(body: str) -> str:
    match = _LINE_MAGIC.match(body)
    if match is None:  # a bare "%" or "%%" line
        return "pass"
    name, args = match.group("name"), match.group("args").strip()
    if name in PYTHON_STATEMENT_LINE_MAGICS and args:
        return args if _parses(args) else "pass"
    if name == "timeit":
        statement = _timeit_statement(args)
        wrapped = f"def {TIMEIT_FUNCTION}(): {statement}"
        return wrapped if statement and _parses(wrapped) else "pass"
    if name in HELP_LINE_MAGICS:
        return "pass"
    return _interpolation_statement(args)


def _assigned_value(escape: str, rest: str) -> str:
    """Right-hand side for `x = !cmd` / `x = %magic args`."""
    rest = rest.strip()
    if escape == "%":
        match = _LINE_MAGIC.match("%" + rest)
        if match is not None and match.group("name") in PYTHON_STATEMENT_LINE_MAGICS:
            expression = match.group("args").strip()
            if expression and _parses(expression, "eval"):
                return expression
            return "None"
        if match is not None and match.group("name") == "timeit":
            # `-o` returns a TimeitResult: not derived from the timed statement's value, but it reads it.
            statement = _timeit_statement(match.group("args"))
            lam = f"(lambda: {statement})"
            return lam if statement and _parses(lam, "eval") else "None"
        rest = match.group("args") if match is not None else ""
    reads = _interpolated_expressions(rest)
    return f"({', '.join(reads)},)" if reads else "None"


def _interpolation_statement(args: str) -> str:
    reads = _interpolated_expressions(args)
    return f"({', '.join(reads)},)" if reads else "pass"


def _interpolated_expressions(text: str) -> list[str]:
    """Python expressions IPython substitutes into a shell/magic line: `{expr}` and `$name` (`$$` escapes)."""
    found: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "{":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                expression = text[start:index].strip()
                if expression and _parses(expression, "eval"):
                    found.append(f"({expression})")
    found.extend(m.group("name") for m in _DOLLAR_NAME.finditer(text))
    return found


def _timeit_statement(args: str) -> str:
    words = args.split()
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _TIMEIT_VALUE_OPTIONS else 1
    if index >= len(words):
        return ""
    # Re-find the statement in the original text so its own spacing (strings!) survives.
    position = 0
    for word in words[:index]:
        position = args.index(word, position) + len(word)
    return args[position:].strip()


def _parses(text: str, mode: str = "exec") -> bool:
    try:
        ast.parse(text, mode=mode)
    except (SyntaxError, ValueError):
        return False
    return True


class _Scanner:
    """Follows string, bracket and backslash state across lines, enough to know a line is a continuation."""

    def __init__(self) -> None:
        self.quote: str | None = None  # the open triple quote, if any
        self.depth = 0
        self.backslash = False

    def continues(self) -> bool:
        return self.quote is not None or self.depth > 0 or self.backslash

    def feed(self, line: str) -> None:
        self.backslash = False
        index, length = 0, len(line)
        while index < length:
            char = line[index]
            if self.quote is not None:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.quote, index):
                    index += len(self.quote)
                    self.quote = None
                    continue
                index += 1
                continue
            if char == "#":
                break
            if char in "'\"":
                triple = char * 3
                if line.startswith(triple, index):
                    self.quote = triple
                    index += 3
                    continue
                end = _single_quoted_end(line, index + 1, char)
                if end is None:
                    # an unterminated one-line string only continues with a trailing backslash
                    self.backslash = line.endswith("\\")
                    return
                index = end + 1
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            index += 1
        if self.quote is None and line.endswith("\\"):
            self.backslash = True


def _single_quoted_end(line: str, index: int, quote: str) -> int | None:
    while index < len(line):
        if line[index] == "\\":
            index += 2
            continue
        if line[index] == quote:
            return index
        index += 1
    return None
