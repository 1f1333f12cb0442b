"""The readable lineage tree printed by `trackit lineage` and `trackit analyze`: sessions, then each
execution with its reads/writes, parents, described steps, changed input files and errors."""

from __future__ import annotations

from pathlib import Path

from .. import protocol as p
from ..lineage.code_names import code_written, data_names
from ..lineage.measured import read_names, written_names
from ..render.words import counted, error_line
from .common import short_time


def render_tree(doc: p.LineageDocument, static: bool = False) -> str:
    """`static`: `trackit analyze`'s document of a file that was not run here: no status, time or duration is
    claimed for its cells (only an error the file was saved with), and the session is the file's saved time."""
    lines = [f"{Path(doc.notebook).name}{' (static analysis, not run)' if static else ''}  ({doc.notebook})"]
    by_session: dict[int, list[p.ExecutionRecord]] = {}
    for e in doc.executions:
        by_session.setdefault(e.session, []).append(e)
    sessions = {s.id: s for s in doc.sessions}
    for n, (sid, execs) in enumerate(by_session.items()):
        last_session = n == len(by_session) - 1
        info = sessions.get(sid)
        started = short_time(info.started_at) if info else short_time(execs[0].started_at)
        kernel = f" · {info.kernel_label}" if info and info.kernel_label else ""  # rendered by render.tree
        when = f"file saved {started} UTC" if static else f"{started} UTC"
        size = counted(len(execs), "code cell") if static else counted(len(execs), "execution")
        lines.append(f"{'└─' if last_session else '├─'} session {sid} · {when}{kernel} · {size}")
        pad = "   " if last_session else "│  "
        if info and info.runtime_note:  # true of every execution in it: said once
            lines.append(f"{pad}   {info.runtime_note}")
        for i, e in enumerate(execs):
            last = i == len(execs) - 1
            status = e.status if e.status != "error" else f"ERROR {e.error.name if e.error else ''}".strip()
            head = f"#{e.seq:<3} cell {e.cell_index + 1:<3} [{e.execution_count if e.execution_count is not None else ' '}]"
            rw = []
            reads, writes = data_names(e, read_names(e)), data_names(e, written_names(e))
            code = code_written(e)
            for verb, names in (("reads", reads), ("writes", writes), ("imports", code["module"]),
                                ("defines", code["function"] + code["class"])):
                if names:
                    rw.append(f"{verb} " + ", ".join(names[:6]) + ("…" if len(names) > 6 else ""))
            used = [name for name in read_names(e) if name in e.code_names]
            if not rw and used:  # a cell that only calls or configures code (`pd.options...`, `np.random.seed(0)`)
                rw.append("uses " + ", ".join(used[:6]) + ("…" if len(used) > 6 else ""))
            parents = f"  ← #{', #'.join(str(s) for s in e.parents)}" if e.parents else ""
            ran = (f"{status} (saved)  " if e.status == "error" else "") if static else f"{status:<6} {e.duration_ms:7.0f} ms  "
            lines.append(f"{pad}{'└─' if last else '├─'} {head} {ran}{' · '.join(rw)}{parents}")
            inner = pad + ("   " if last else "│  ")
            if e.analysis_error:
                lines.append(f"{inner}  {e.analysis_error}")
            if e.runtime_note:  # only when its session does not already say it
                lines.append(f"{inner}  {e.runtime_note}")
            for text in e.step_lines:  # rendered once by render.tree.label_document
                lines.append(f"{inner}  {text}")
            for f in e.input_files:  # size and hash are already on the load line; call out what needs action
                if f.changed_since:
                    lines.append(f"{inner}  input {f.path} CHANGED since an earlier session "
                                 f"(sha256 {f.changed_since[:8]} → {(f.sha256 or '?')[:8]})")
                elif f.error:
                    lines.append(f"{inner}  input {f.path}: {f.error}")
            if e.status == "error" and e.error and e.error.message:
                lines.append(f"{inner}  {e.error.name}: {error_line(e.error.message)}")
            if e.outcome:  # rendered by render.tree.label_document
                lines.append(f"{inner}  {e.outcome}")
    return "\n".join(lines)
