"""Text cleaned one document at a time in a loop (the bag-of-words idiom of NLP courses and Kaggle kernels):

    corpus = []
    for i in range(0, len(df)):
        review = re.sub("[^a-zA-Z]", " ", df["Review"][i])
        review = review.lower().split()
        review = [ps.stem(w) for w in review if w not in stops]
        corpus.append(" ".join(review))

(or `for text in df["text"]: ...`). Each statement that cleans the document is a step where it is written
(what-is-a-step.md: "`str.split`, `str.strip`, `str.lower`, `replace` on text, regex extraction: `text_clean`";
Granularity: "A statement inside a loop ... counts once, where it is written"), though each reads one value: the
loop walks every row's text. A document is the loop variable over a text column, a column's value at the loop's
position (`df["text"][i]`, `df.text[i]`, `df.loc[i, "text"]`), or a name a cleaning statement bound.
"""

from __future__ import annotations

import ast
from typing import Optional

from ... import protocol
from ..kb import pandas as kb_pandas
from ..kb import python as kb_python
from .env_markers import POSITION_MARKER
from .values import MARKER, Op, called_name, str_const

DOCUMENT_MARKER = f"{MARKER}document:"  # + the data the documents come from
# Calls that clean or split one document's text (kb.python.TEXT_CLEANING_CALLS and tokenising: split / join words).
DOCUMENT_CALLS = kb_python.TEXT_CLEANING_CALLS | {"split", "join", "findall", "tokenize", "casual_tokenize"}


class DocumentRules:
    """Mixin of `Cell` (through `StatementWalker`)."""

    env: dict[str, str]
    steps: list[protocol.Step]

    def bind_document_loop(self, target: ast.AST, iterable: ast.AST) -> bool:
        """`for text in df["text"]` (or `.values` / `.tolist()`): the loop variable is each row's document."""
        if not isinstance(target, ast.Name):
            return False
        base = self._text_column_base(_unwrapped(iterable))
        if base is None:
            return False
        self.env[target.id] = DOCUMENT_MARKER + base
        return True

    def cleans_document(self, target: ast.AST, value: ast.AST, stmt: ast.stmt) -> bool:
        """`review = re.sub(..., df["Review"][i])`, `review = review.lower()`, `review = " ".join(review)`: one
        text_clean where it is written, and `review` is the document now. False when `value` is no such cleaning."""
        if not isinstance(target, ast.Name):
            return False
        base = self._document_read(value)
        if base is None or not _calls_document_work(value):
            return False
        self.emit([Op("text_clean", [base], [], None, facts={"method": "document"})], stmt,  # type: ignore[attr-defined]
                  output=target.id)
        self.env[target.id] = DOCUMENT_MARKER + base
        return True

    def _document_read(self, value: ast.AST) -> Optional[str]:
        """The data whose document `value` reads, else None."""
        for node in ast.walk(value):
            if isinstance(node, ast.Name) and self.env.get(node.id, "").startswith(DOCUMENT_MARKER):
                return self.env[node.id][len(DOCUMENT_MARKER):]
            if isinstance(node, ast.Subscript):
                base = self._value_at_position(node)
                if base is not None:
                    return base
        return None

    def _value_at_position(self, node: ast.Subscript) -> Optional[str]:
        """`df["text"][i]` / `df.text[i]` / `df.loc[i, "text"]` with `i` a position of a loop over the rows."""
        if isinstance(node.value, ast.Attribute) and node.value.attr in ("loc", "iloc", "at", "iat") \
                and isinstance(node.slice, ast.Tuple) and len(node.slice.elts) == 2:
            position, column = node.slice.elts
            frame = node.value.value
            if self._is_position(position) and str_const(column) is not None and isinstance(frame, ast.Name) \
                    and self._is_data(frame.id):  # type: ignore[attr-defined]
                return frame.id
            return None
        return self._text_column_base(node.value) if self._is_position(node.slice) else None

    def _is_position(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and self.env.get(node.id) == POSITION_MARKER

    def _text_column_base(self, node: ast.AST) -> Optional[str]:
        """`df["text"]` / `df.text` of a frame the notebook holds: the frame's name."""
        if isinstance(node, ast.Subscript) and str_const(node.slice) is not None and isinstance(node.value, ast.Name):
            frame = node.value.id
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and not node.attr.startswith("_") \
                and node.attr not in kb_pandas.FRAME_ATTRIBUTES:  # df.text, not df.columns
            frame = node.value.id
        else:
            return None
        return frame if self._is_data(frame) and self.env.get(frame, "").startswith("pandas") else None  # type: ignore[attr-defined]


def _unwrapped(iterable: ast.AST) -> ast.AST:
    """`df.text.values`, `df["text"].tolist()`, `list(df.text)` -> the column."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "list" \
            and len(iterable.args) == 1:
        return iterable.args[0]
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and not iterable.args \
            and iterable.func.attr in ("tolist", "to_list"):
        return iterable.func.value
    if isinstance(iterable, ast.Attribute) and iterable.attr == "values":
        return iterable.value
    return iterable


def _calls_document_work(value: ast.AST) -> bool:
    """`value` calls a text-cleaning or tokenising function or method (`re.sub`, `.lower()`, `" ".join(...)`,
    `ps.stem(w)` in a comprehension)."""
    return any(isinstance(node, ast.Call) and called_name(node.func) in DOCUMENT_CALLS for node in ast.walk(value))
