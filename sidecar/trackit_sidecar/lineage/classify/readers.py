"""Data read through a handle (what-is-a-step.md, "Sources are steps": `open(...).read()` into data, a URL, a
`sqlite3` / SQLAlchemy query; the facts are kb/sources.py's HANDLE_* tables):

- opening the handle (`open(path)`, `requests.get(url)`, `sqlite3.connect(db)`, a cursor, a query's result, a Spark
  session and its reader) is no
  step, as a DB connection is none (CONVENTIONS 15); the handle's name is bound to a handle kind, which is not data;
- reading data out of it (`f.read()`, `json.load(f)`, `r.json()`, `cur.fetchall()`, `duckdb.sql(q).df()`) is the
  `load`, once, where the data arrives.
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import sources as kb_sources
from .values import Op, Val, chain_root, instance_class, str_const

HANDLE_PREFIX = kb_sources.HANDLE_KIND.split("{", 1)[0]
WRITE_MODE = re.compile(kb_sources.WRITE_MODE)
SETTINGS_FILE_NAME = re.compile(kb_sources.SETTINGS_FILE_NAME, re.IGNORECASE)
SQL_SOURCES = re.compile(r"\b(?:from|join)\s+([A-Za-z_]\w*)", re.IGNORECASE)


def sql_clause_ops(query: str) -> list[Op]:
    """The steps of SQL run over frames: its clauses (CONVENTIONS 22: "SQL GROUP BY" aggregates), in query order."""
    return [Op(op, [], [], None, facts={"method": "sql"}) for pattern, op in kb_sources.SQL_CLAUSE_OPS
            if re.search(pattern, query, re.IGNORECASE)]


def handle_source(kind: Optional[str]) -> Optional[str]:
    """The kind of source a handle kind reads ("file", "response", "database"), else None."""
    cls = instance_class(kind)
    return cls[len(HANDLE_PREFIX):] if cls and cls.startswith(HANDLE_PREFIX) else None


def _handle(source: str) -> Val:
    return Val(kind=kb_sources.HANDLE_KIND.format(source))


def _load(method: str, detail: Optional[str] = None) -> Val:
    return Val(ops=[Op("load", [], [], detail or method, facts={"method": method})])


class ReaderRules:
    """Mixin of `Cell`."""

    env: dict[str, str]

    def opened(self, path: str, node: ast.Call) -> Optional[Val]:
        """`open(path)`, `requests.get(url)`, `sqlite3.connect(db)`: a handle of a source; None for anything else and
        for a file opened to be written."""
        if path.startswith(kb_sources.SESSION_LIBRARIES) and path.rsplit(".", 1)[-1] in kb_sources.SESSION_GETTERS:
            return _handle("session")  # spark = SparkSession.builder.getOrCreate()
        source = kb_sources.HANDLE_FACTORIES.get(path)
        if source is None:
            return None
        if source == "file":
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if WRITE_MODE.search(str_const(mode) or ""):
                return None
            if node.args and SETTINGS_FILE_NAME.search(str_const(node.args[0]) or ""):
                return Val()  # open("../environment.yml"): settings read, no data (kb.sources.SETTINGS_FILE_NAME)
        return _handle(source)

    def handle_function(self, path: str, node: ast.Call) -> Optional[Val]:
        """`json.load(f)` of a handle: the load; `duckdb.sql("SELECT ... FROM t")` of the library's own database: a
        handle of the result. None for anything else."""
        if path in kb_sources.HANDLE_READER_FUNCTIONS and node.args \
                and handle_source(self.expr(node.args[0]).kind) is not None:  # type: ignore[attr-defined]
            return _load(path.rsplit(".", 1)[-1], path)
        if path in kb_sources.SQL_RESULT_FUNCTIONS and node.args:
            if self.queries_frames(node.args[0]):
                # duckdb.sql("SELECT k, SUM(v) FROM df GROUP BY k"): the query's clauses over the frame are its steps
                return Val(ops=sql_clause_ops(self.query_text(node.args[0]) or ""), kind="pandas.DataFrame()")  # type: ignore[attr-defined]
            return _handle("database")
        return None

    def handle_method(self, recv: Val, method: str, node: ast.Call) -> Optional[Val]:
        """A method of a handle: reading its data is the load; a cursor or a query's result is another handle of the
        same source; None for anything else."""
        if method in kb_sources.SESSION_GETTERS \
                and self.env.get(chain_root(node.func) or "", "").startswith(kb_sources.SESSION_LIBRARIES):
            return _handle("session")  # spark = SparkSession.builder.appName("EDA").getOrCreate()
        source = handle_source(recv.kind)
        if source is None:
            return None
        if method in kb_sources.HANDLE_READ_METHODS.get(source, ()):
            return _load(method)
        if method in kb_sources.HANDLE_PASSING_METHODS.get(source, ()):
            return _handle(source)
        return None

    def queries_frames(self, query: ast.AST) -> bool:
        """The SQL text reads a frame of the notebook (`FROM df`, `JOIN other`): a query of data that exists."""
        text = self.query_text(query) or ""  # type: ignore[attr-defined]  # written there or held by a name (sql_texts.py)
        return any(self.env.get(name) is not None and self._is_data(name)  # type: ignore[attr-defined]
                   for name in SQL_SOURCES.findall(text))
