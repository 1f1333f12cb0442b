"""Words every rendered line shares: code names, name lists, signed deltas, sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:  # a type only: the CLI's commands word counts with this module and load no protocol models
    from ..protocol import Step

MINUS = "\u2212"  # typographic minus: reads better than "-" next to numbers
ARROW = "\u2192"
MAX_LISTED = 8
MAX_CODE_CHARS = 60


def code(name: str) -> str:
    return f"`{name}`"


# letters whose name starts with a vowel sound, as an initialism is read: "an SVC", "an MLPClassifier", but "a GLM"
_VOWEL_SOUNDING_LETTERS = frozenset("AEFHILMNORSX")


def article(name: str) -> str:
    """"a" or "an" before `name` as it is read aloud: "an `OLS` model", "an `ExponentialSmoothing` model", "an
    `SVC`", "a `LinearRegression`" ("a `OLS` model" and "a `ExponentialSmoothing` model" were 28 slips in the
    sweep's summaries)."""
    initialism = len(name) > 1 and name[:2].isupper()
    if initialism:
        return "an" if name[0] in _VOWEL_SOUNDING_LETTERS else "a"
    return "an" if name[:1].lower() in "aeio" else "a"


def error_line(message: Optional[str], limit: int = 120) -> str:
    """The first line of an error's message that says something: scikit-learn's "All the 20 fits failed." comes after
    a newline, and its first line, empty, printed "ValueError: " as the whole error."""
    found = next((line.strip() for line in (message or "").splitlines() if line.strip()), "")
    return found[:limit]


def names(items: Iterable[str], limit: int = MAX_LISTED, count_total: bool = True) -> str:
    """"`a`, `b` and `c`". Long lists are cut after `limit` names; one extra name is shown rather than cut.

    The total is stated ("(30 in total)") only when the caller knows it is a recorded count (a step's
    columns, a fact's added columns), because the faithfulness check rejects invented numbers.
    """
    items = [i for i in items if i]
    if len(items) > limit + 1:
        shown = [code(i) for i in items[:limit]]
        rest = f"others ({len(items)} in total)" if count_total else "others"
        return ", ".join(shown) + " and " + rest
    shown = [code(i) for i in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def signed(n: int) -> str:
    """+3 / −177 with a real minus sign, as people write deltas."""
    return f"+{n:,}" if n > 0 else f"{MINUS}{abs(n):,}" if n < 0 else "\u00b10"


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '11th', '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def counted(n: int, noun: str) -> str:
    """'1 column', '13 columns', '66,130 rows'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def join_clauses(clauses: list[str]) -> str:
    if len(clauses) <= 1:
        return "".join(clauses)
    return ", ".join(clauses[:-1]) + " and " + clauses[-1]


def union_names(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([n for n in first + second if n]))


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def one_line(text: str) -> str:
    """Code as one line: its whitespace runs made single spaces."""
    return " ".join(text.split())


def short_code(step: Step) -> Optional[str]:
    text = one_line(step.code or "")
    return text if text and len(text) <= MAX_CODE_CHARS else None


def notebook_name(uri_or_path: str) -> str:
    """"analysis.ipynb" for file:///work/analysis.ipynb or /work/analysis.ipynb: how logs name a notebook."""
    from urllib.parse import unquote

    return unquote(uri_or_path.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]) or uri_or_path


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    if size < 1024 ** 3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024 ** 3:.1f} GB"
