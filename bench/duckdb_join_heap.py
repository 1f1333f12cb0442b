"""DuckDB's C heap kept per query, by query form (not a test: prints figures, asserts nothing).

What the memory row of the README's performance table rests on: on a DuckDB file of 50,000 rows, N queries of one
form, malloc's heap in use (mallinfo2, after malloc_trim) sampled every 1,000. A query that hash-joins over a table
scan keeps ~2-4 KB until the database closes, whether its values come as a list parameter or not; scalar and
index lookups keep ~0. One form per process (what one form keeps must not be counted to the next).

Usage: .venv/bin/python bench/duckdb_join_heap.py [N] [form ...]    (glibc only: mallinfo2, malloc_trim)
"""

from __future__ import annotations

import ctypes
import os
import random
import subprocess
import sys
import tempfile

import duckdb

FORMS = {  # name -> (sql, parameters from 40 random keys)
    "scalar filter": ("SELECT count(*) FROM t WHERE s = ?", lambda v: [v[0] // 40]),
    "index lookup": ("SELECT count(*) FROM t WHERE x = ?", lambda v: [v[0]]),
    "IN of 3 placeholders": ("SELECT count(*) FROM t WHERE x IN (?, ?, ?)", lambda v: v[:3]),
    "IN (SELECT unnest(?))": ("SELECT count(*) FROM t WHERE x IN (SELECT unnest(?::INTEGER[]))", lambda v: [v]),
    "= ANY(?)": ("SELECT count(*) FROM t WHERE x = ANY(?::INTEGER[])", lambda v: [v]),
    "IN of 40 placeholders": ("SELECT count(*) FROM t WHERE x IN (" + ", ".join("?" * 40) + ")", lambda v: v),
    "IN (SELECT range) of scalars": ("SELECT count(*) FROM t WHERE x IN (SELECT range::INTEGER FROM range(?, ? + 40))",
                                     lambda v: [v[0], v[0]]),
    "self-join, no parameters": ("SELECT count(*) FROM t a JOIN t b ON a.x = b.x WHERE a.x < 40", lambda v: []),
}


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                     "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap_in_use_kb(libc) -> float:
    libc.malloc_trim(0)
    info = libc.mallinfo2()
    return (info.uordblks + info.hblkhd) / 1024


def one_form(form: str, n: int) -> None:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    sql, params = FORMS[form]
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(os.path.join(folder, "heap.duckdb"))
        con.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, s INTEGER, v VARCHAR)")
        con.execute("INSERT INTO t SELECT i, i // 40, 'v' || i FROM range(50000) r(i)")
        con.execute("CHECKPOINT")
        rng = random.Random(1)
        samples = []
        for i in range(n + 1000):
            if i >= 1000 and i % 1000 == 0:  # the first 1,000 warm up
                samples.append(heap_in_use_kb(libc))
            con.execute(sql, params(rng.sample(range(50000), 40))).fetchall()
        samples.append(heap_in_use_kb(libc))
        con.close()
    per_query = (samples[-1] - samples[0]) / n
    print(f"{form:32s} {per_query:6.2f} KB kept per query over {n:,} (heap in use, MB every 1,000: "
          f"{' '.join(f'{s / 1024:.1f}' for s in samples)})")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    forms = sys.argv[2:] or list(FORMS)
    if len(forms) == 1:
        one_form(forms[0], n)
        return
    print(f"duckdb {duckdb.__version__}")
    for form in forms:
        subprocess.run([sys.executable, __file__, str(n), form], check=True)


if __name__ == "__main__":
    main()
