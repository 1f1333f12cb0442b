"""Experiments derived from the records, kept so that a new process does not derive them again.

`store.derived` (a DerivedStore) shares the Store's connection and lock. What it keeps is a cache, never a
record: each row says what it was derived from, and the experiments service (experiments/derived.py) derives
again whatever no longer matches, replacing the rows.

`measure(notebook)` reads, in two queries, a hash of everything deriving an experiment reads, per execution:
  - its record: the execution with its stored analysis, runtime facts and capture status, input files and the
    dataset revisions of their bytes (what it did, which later executions of its run build on);
  - what is its own as an experiment: its name and notes, kernel answers;
and per run its stamps and its experiments' ids, and for the notebook the parents set by hand (the second query,
`measure_runs`, which numbering new experiments changes). Executions are append-only (their id, seq and run
say which); everything else is hashed whole, since rows are appended, replaced (runtime_capture) or upgraded in
place (a source's analysis).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

from .memory_limit import retried_out_of_memory
from .scoped import NotebookScopedTables

# An execution's record hash: the execution with its stored analysis, runtime facts and capture status, input files
# and the dataset revisions of their bytes. The one definition: experiments (measure) and ready lineage rows
# (run_inputs) are both checked against it.
_RECORDS = """
record_parts AS (
  SELECT event_id, sum(hash('facts', ord, facts)) AS h FROM runtime_facts WHERE notebook_id = $nb GROUP BY event_id
  UNION ALL SELECT event_id, sum(hash('capture', status, evidence))
    FROM runtime_capture WHERE notebook_id = $nb GROUP BY event_id
  UNION ALL SELECT event_id, sum(hash('files', ord, path, real_path, size, mtime, sha256, changed_since, error))
    FROM input_files WHERE notebook_id = $nb GROUP BY event_id
  UNION ALL SELECT f.event_id, sum(hash('revisions', r.dataset_id, r.number, r.sha256, r.size, r.path, r.first_seen_at))
    FROM input_files f JOIN dataset_revisions r ON r.sha256 = f.sha256 WHERE f.notebook_id = $nb GROUP BY f.event_id
), records AS (SELECT event_id, sum(h) AS h FROM record_parts GROUP BY event_id)"""
# e.analysis_sha256: an execution's own analysis is content-addressed, so its name stands for its columns
_RECORD_HASH = """hash(e.event_id, e.seq, s.analyzer_version, s.reads, s.writes, s.derivations, s.steps,
                               s.analysis_error, e.analysis_sha256, r.h)"""
_EXECUTIONS = f"""
WITH {_RECORDS}, own_parts AS (
  SELECT x.event_id, sum(hash('names', n.name, n.notes, n.updated_at)) AS h
    FROM experiment_notes n JOIN experiments x ON x.number = n.number WHERE x.notebook_id = $nb GROUP BY x.event_id
  UNION ALL SELECT event_id, sum(hash('kernel', answer, recorded_at))
    FROM experiment_kernel_values WHERE notebook_id = $nb GROUP BY event_id
), owns AS (SELECT event_id, sum(h) AS h FROM own_parts GROUP BY event_id)
SELECT e.session, e.seq, {_RECORD_HASH}, o.h
  FROM executions e JOIN sources s ON s.sha256 = e.source_sha256
  LEFT JOIN records r ON r.event_id = e.event_id LEFT JOIN owns o ON o.event_id = e.event_id
  WHERE e.notebook_id = $nb ORDER BY e.session, e.seq
"""
# the record hashes alone (no experiment's own parts: two aggregates and a join fewer, ~1 ms of a first touch)
_RECORD_HASHES = f"""
WITH {_RECORDS}
SELECT e.session, e.seq, {_RECORD_HASH}
  FROM executions e JOIN sources s ON s.sha256 = e.source_sha256 LEFT JOIN records r ON r.event_id = e.event_id
  WHERE e.notebook_id = $nb ORDER BY e.session, e.seq
"""
_RUNS = """
SELECT 'stamps', e.session, sum(hash(s.stamp, s.recorded_at))
  FROM run_stamps s JOIN executions e ON e.event_id = s.event_id WHERE s.notebook_id = $nb GROUP BY e.session
UNION ALL
SELECT 'experiments', e.session, sum(hash(x.number, x.event_id, x.origin))
  FROM experiments x JOIN executions e ON e.event_id = x.event_id WHERE x.notebook_id = $nb GROUP BY e.session
UNION ALL
SELECT 'parents', NULL, sum(hash(p.number, p.parent, p.set_at))
  FROM experiment_parents p JOIN experiments x ON x.number = p.number WHERE x.notebook_id = $nb
"""

# derived experiments written per statement: a notebook's 222 (~1 MB of JSON) in one INSERT OR REPLACE took DuckDB
# +10 MB for a moment, 32 at a time +2 MB each (the save as a whole +12.5 -> +9.7 MB, in process; mem8)
_ROWS_AT_ONCE = 32
_ROW_COLUMNS = ("number", "session", "inputs_sha256", "node", "chain", "auto_parent", "own_sha256", "link_sha256",
                "summary")


@dataclass
class Measured:
    """What a notebook's experiments are derived from, as it is now (hashes: equal inputs, equal numbers)."""

    executions: dict[int, list[tuple[int, int, int]]]  # session -> (seq, record hash, own hash), in seq order
    stamps: dict[int, int]  # session -> hash of the run's stamps
    numbered: dict[int, int]  # session -> hash of the ids of the run's experiments
    links: int  # hash of the parents set by hand


@dataclass
class KeptRow:
    number: int
    session: int
    inputs_sha256: str  # what its own facts were derived from (experiments/derived.py: _Keys)
    node: str  # JSON: what choosing a parent compares
    chain: Optional[str]  # sha256 of this node and every earlier one: the automatic parent was chosen from it
    auto_parent: Optional[int]
    own_sha256: str
    link_sha256: str
    summary: str  # protocol.ExperimentSummary JSON


@dataclass
class Kept:
    """A notebook's derived experiments as stored; `fingerprint` is the notebook's when they were derived."""

    fingerprint: str
    links: str  # what the parents set by hand measured then
    runs: dict[int, tuple[str, int]] = field(default_factory=dict)  # session -> (fingerprint, last seq derived)
    rows: list[KeptRow] = field(default_factory=list)


class DerivedStore(NotebookScopedTables):
    def measure(self, notebook: str) -> Optional[Measured]:
        """None for a notebook with no executions stored."""
        executions = self.record_hashes(notebook)
        if executions is None:
            return None
        return self.measure_runs(notebook, Measured(executions=executions, stamps={}, numbered={}, links=0))

    def record_hashes(self, notebook: str) -> Optional[dict[int, list[tuple[int, int, int]]]]:
        """`Measured.executions` alone (the first query): session -> (seq, record hash, own hash), in seq order;
        None for a notebook with no executions stored. Ready lineage rows are checked against the record hashes."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return None
        with self._conn.lock:
            rows = self._conn.con.execute(_EXECUTIONS, {"nb": nb_id}).fetchall()
        executions: dict[int, list[tuple[int, int, int]]] = {}
        for session, seq, record, own in rows:
            executions.setdefault(session, []).append((seq, record, own or 0))
        return executions

    def run_inputs(self, notebook: str) -> Optional[dict[int, tuple[int, str]]]:
        """seq -> (session, the sum of its run's record hashes up to it, as text): what a ready lineage row is made
        from (ready_lineage.py), in session and seq order; None for a notebook with no executions stored. Completion
        only looks back within a run, so that sum is everything a row's record depends on."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return None
        with self._conn.lock:
            rows = self._conn.con.execute(_RECORD_HASHES, {"nb": nb_id}).fetchall()
        inputs: dict[int, tuple[int, str]] = {}
        run, total = None, 0
        for session, seq, record in rows:
            if session != run:
                run, total = session, 0
            total += record
            inputs[seq] = (session, str(total))
        return inputs

    def measure_runs(self, notebook: str, measured: Measured) -> Measured:
        """`measured` with its per-run and notebook parts read again (after experiments were numbered)."""
        nb_id = self._notebook_id(notebook)
        with self._conn.lock:
            rows = self._conn.con.execute(_RUNS, {"nb": nb_id}).fetchall()
        parts: dict[str, dict] = {"stamps": {}, "experiments": {}, "parents": {}}
        for part, session, total in rows:
            parts[part][session] = int(total or 0)
        return Measured(executions=measured.executions, stamps=parts["stamps"], numbered=parts["experiments"],
                        links=parts["parents"].get(None, 0))

    def load(self, notebook: str) -> Optional[Kept]:
        """The notebook's kept experiments (without the full documents: `experiments()` reads those)."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None:
            return None
        with self._conn.lock:
            con = self._conn.con
            found = con.execute("SELECT fingerprint, links FROM derived_notebooks WHERE notebook_id = ?",
                                [nb_id]).fetchone()
            if found is None:
                return None
            runs = con.execute("SELECT session, fingerprint, derived_seq FROM derived_runs WHERE notebook_id = ?",
                               [nb_id]).fetchall()
            rows = con.execute(f"SELECT {', '.join(_ROW_COLUMNS)} FROM derived_experiments WHERE notebook_id = ? "
                               "ORDER BY number", [nb_id]).fetchall()
        return Kept(fingerprint=found[0], links=found[1], runs={int(s): (f, int(seq)) for s, f, seq in runs},
                    rows=[KeptRow(*row) for row in rows])

    def experiments(self, numbers: list[int]) -> dict[int, str]:
        """number -> the kept protocol.Experiment JSON (without its run's stamp: experiments/derived.py adds it)."""
        if not numbers:
            return {}
        with self._conn.lock:
            rows = self._conn.con.execute(
                "SELECT number, experiment FROM derived_experiments WHERE number IN (SELECT unnest(?::INTEGER[]))",
                [list(numbers)]).fetchall()
        return {int(n): payload for n, payload in rows}

    @retried_out_of_memory
    def save(self, notebook: str, fingerprint: str, links: str, runs: dict[int, tuple[str, int]],
             rows: list[tuple[KeptRow, str]], chains: dict[int, tuple[Optional[str], Optional[int]]],
             gone_runs: list[int]) -> None:
        """In one transaction: replace the given runs' rows (session -> (fingerprint, last seq derived)) and
        experiments' rows ((row, Experiment JSON) pairs), set the chain and automatic parent of others (number -> (chain,
        parent)), forget runs that are gone, and record the notebook's fingerprint. A read-only store keeps
        nothing (the caller keeps what it derived in memory). The tables have no keys (store/schema.py: an index
        written to stays in DuckDB's memory until the next checkpoint): a row is replaced by deleting the old one."""
        nb_id = self._notebook_id(notebook)
        if nb_id is None or self._conn.read_only:
            return
        now = time.time()
        with self._conn.transaction() as con:
            if gone_runs or runs:
                con.execute("DELETE FROM derived_runs WHERE notebook_id = ? AND session IN (SELECT unnest(?::INTEGER[]))",
                            [nb_id, sorted({*gone_runs, *runs})])
            if runs:
                sessions = sorted(runs)
                con.execute(
                    "INSERT INTO derived_runs SELECT ?, unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), ?",
                    [nb_id, sessions, [runs[s][0] for s in sessions], [runs[s][1] for s in sessions], now])
            if rows:
                con.execute("DELETE FROM derived_experiments WHERE number IN (SELECT unnest(?::INTEGER[]))",
                            [[row.number for row, _ in rows]])
            for start in range(0, len(rows), _ROWS_AT_ONCE):
                part = rows[start:start + _ROWS_AT_ONCE]
                columns = [[getattr(row, name) for row, _ in part] for name in _ROW_COLUMNS]
                con.execute(
                    "INSERT INTO derived_experiments SELECT unnest(?::INTEGER[]), ?, unnest(?::INTEGER[]), "
                    "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), "
                    "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?",
                    [columns[0], nb_id, *columns[1:], [payload for _, payload in part], now])
            if chains:
                numbers = sorted(chains)
                con.execute(
                    "UPDATE derived_experiments SET chain = u.chain, auto_parent = u.auto_parent FROM (SELECT "
                    "unnest(?::INTEGER[]) AS number, unnest(?::VARCHAR[]) AS chain, unnest(?::INTEGER[]) AS auto_parent) u "
                    "WHERE derived_experiments.number = u.number",
                    [numbers, [chains[n][0] for n in numbers], [chains[n][1] for n in numbers]])
            con.execute("DELETE FROM derived_notebooks WHERE notebook_id = ?", [nb_id])
            con.execute("INSERT INTO derived_notebooks VALUES (?, ?, ?, ?)", [nb_id, fingerprint, links, now])
