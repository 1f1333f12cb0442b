"""ExperimentService: experiments for the CLI and the server, thin over the store and the pure modules.

Capture side (called after an execution is stored):
    kernel_work(event)      -> what to ask the kernel about it (metric values, model fingerprints) and
                               whether its run still needs a stamp; None when there is nothing to do
    ask_kernel(work, ask)   -> the kernel's answers (runs on the caller's kernel thread; silent requests)
    make_stamp(env, folder) -> the run's stamp (package listing and git: a sidecar thread, never the kernel's)
    record(work, answer, stamp) -> stored (the store's thread)
Read side: experiments(notebook), experiment(id), mark, name, reparent, export, annotate(lineage document).
Experiments are derived from the records (build.py) and kept derived until those records change (derived.py);
only ids, revisions, stamps, kernel answers and the user's own words are records of their own.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .. import protocol as p
from ..render.words import notebook_name
from ..store import Store
from . import build as builder
from . import experiment_model as model_reader
from . import metrics as metric_reader
from .derived import DerivedExperiments
from .detect import is_run_experiment, run_experiments
from .revisions import experiment_id, parse_experiment_id
from .slice import Slicer

log = logging.getLogger(__name__)

# a cell that mentions none of these and printed no metric line cannot be an experiment: skip the lineage build
_MAYBE = re.compile(r"score|accura|error|loss|metric|report|fit|auc|f1|r2|precision|recall|confusion|evaluat|mse|mae",
                    re.IGNORECASE)


class ExperimentNotFound(LookupError):
    pass


@dataclass
class KernelWork:
    event_id: str
    notebook_uri: str
    execution_count: Optional[int]
    metric_names: list[str] = field(default_factory=list)
    model_names: list[str] = field(default_factory=list)
    stamp: bool = False  # the run has no stamp yet
    notebook_folder: Optional[str] = None
    run: tuple[str, int] = ("", 0)  # (notebook, session)


@dataclass
class KernelReply:
    answer: Optional[dict[str, Any]] = None
    environment: Optional[dict[str, Any]] = None
    errors: list[str] = field(default_factory=list)


class ExperimentService:
    def __init__(self, store: Store, lineage: Callable[..., p.LineageDocument],
                 run_lineage: Callable[..., p.LineageDocument],
                 run_upto: Callable[[str, int, int], list[p.ExecutionRecord]]):
        """`lineage(notebook[, sessions=])`: the notebook's completed records (those sessions' only, when given);
        `run_lineage(notebook, session[, upto_seq])`: one run's (up to an execution), as the tree reads it;
        `run_upto(notebook, session, seq)`: one run's completed records up to an execution, read without keeping the
        notebook's lineage (detection: lineage_views.run_upto)."""
        self.store = store
        self.db = store.experiments
        self.lineage = lineage
        self.run_lineage = run_lineage
        self.run_upto = run_upto
        self._stamping: set[tuple[str, int]] = set()  # (notebook, session) stamped or being stamped
        self._stamp_deferrals: dict[tuple[str, int], int] = {}
        self.generation = 0  # bumped by every write of experiment records: what a cached answer is keyed by
        # build.Records.cache: the seeds of slices and runs. Handed over without a method of this service: the
        # derived experiments it holds would hold it back (a cycle keeping every record read until a collection)
        self.derived = DerivedExperiments(store, lineage, run_lineage, functools.partial(_bounded, {}))

    # ------------------------------------------------------------ capture
    def kernel_work(self, event: p.CellExecution) -> Optional[KernelWork]:
        if event.language != "python":
            return None
        where = self.db.execution_of(event.event_id)
        if where is None:
            return None
        notebook, seq, session = where
        work = KernelWork(event.event_id, notebook, event.execution_order, notebook_folder=_folder(event),
                          run=(notebook, session))
        if (notebook, session) not in self._stamping:
            self._stamping.add((notebook, session))
            work.stamp = not self.db.stamped(event.event_id)
        if event.execution_order is not None and _might_be_experiment(event):
            slicer = Slicer(self.run_upto(notebook, session, seq))  # a slice never leaves its run nor looks ahead
            record = slicer.by_seq.get(seq)
            if record is not None and is_run_experiment(record, slicer.by_seq.values()):
                if event.status == "ok":  # a failed one is numbered (below), with nothing to ask the kernel
                    work.metric_names = metric_reader.metric_variables(record)
                    work.model_names = model_reader.model_questions(record, slicer.slice(seq))
                self.generation += 1
                # ids follow the order results happened in, and an id once given is kept: an earlier experiment of
                # the run not numbered yet (one that failed, or that _MAYBE passed over: `print(res2.f_test(R))`)
                # is numbered first, not after this one when the experiments are next listed; a failed one that
                # ends its run (`trackit run` stops there) is numbered now, not after the next run's experiments
                earlier = {n: "auto" for n in run_experiments(slicer.by_seq.values()) if n < seq}
                self.db.assign(notebook, {**earlier, seq: "auto"})
                log.info("%s: experiment detected at execution #%d (cell %d)", notebook_name(notebook), seq,
                         record.cell_index + 1)
        return work if work.stamp or work.metric_names or work.model_names else None

    def defer_stamp(self, work: KernelWork, attempts: int = 3) -> bool:
        """The kernel could not be reached for this run's stamp: try again at the run's next executions
        (the editor's kernel is often found a moment later), stamping without it after `attempts`."""
        tries = self._stamp_deferrals.get(work.run, 0) + 1
        self._stamp_deferrals[work.run] = tries
        if tries >= attempts:
            return False
        self._stamping.discard(work.run)
        return True

    @staticmethod
    def ask_kernel(work: KernelWork, ask) -> KernelReply:
        """Silent questions to the kernel (kernel/experiments.py); never raises."""
        from ..kernel import experiments as kernel_questions

        reply = KernelReply()
        if work.stamp:
            try:
                reply.environment = kernel_questions.kernel_environment(ask)
            except Exception as error:  # a busy or odd kernel: the stamp says what is unknown
                reply.errors.append(f"kernel environment: {error}")
        if (work.metric_names or work.model_names) and work.execution_count is not None:
            try:
                reply.answer = kernel_questions.experiment_values(ask, work.execution_count, work.metric_names,
                                                                  work.model_names)
            except Exception as error:
                reply.errors.append(f"kernel values: {error}")
        return reply

    @staticmethod
    def make_stamp(work: KernelWork, reply: KernelReply) -> p.RunStamp:
        from .stamps import build_stamp

        stamp = build_stamp(reply.environment, work.notebook_folder)
        stamp.errors.extend(e for e in reply.errors if e.startswith("kernel environment"))
        return stamp

    def record(self, work: KernelWork, answer: Optional[dict[str, Any]] = None,
               stamp: Optional[p.RunStamp] = None) -> None:
        self.generation += 1
        if answer is not None:
            self.db.save_kernel_answer(work.event_id, answer)
        if stamp is not None:
            self.db.save_stamp(work.event_id, stamp)

    # ------------------------------------------------------------ reads
    def pinned(self):
        """A block in which each notebook's records are measured once (derived.DerivedExperiments.pinned)."""
        return self.derived.pinned()

    def all(self, notebook: str) -> list[p.Experiment]:
        """Every experiment of the notebook (derived.py keeps them derived: only what changed is derived again)."""
        return self.derived.experiments(notebook)

    def experiments(self, notebook: str) -> p.ExperimentList:
        ref = self.store.find_notebook(notebook)
        return p.ExperimentList(notebook_uri=ref.uri if ref is not None else notebook,
                                experiments=self.derived.summaries(notebook))

    def experiment(self, experiment: str) -> p.Experiment:
        number, notebook = self._locate(experiment)
        found = self.derived.experiments(notebook, [number])
        if not found:
            raise ExperimentNotFound(f"experiment {experiment_id(number)} has no execution left to describe")
        return found[0]

    def with_family(self, experiment: str) -> tuple[p.Experiment, list[p.Experiment]]:
        """The experiment and every experiment of its notebook (compare reads parents, repeats, the best)."""
        return self._with_family(experiment)

    def _with_family(self, experiment: str) -> tuple[p.Experiment, list[p.Experiment]]:
        with self.pinned():
            target = self.experiment(experiment)
            return target, self.all(target.notebook_uri)

    def repeat_candidates(self, target: p.Experiment) -> list[p.Experiment]:
        """The notebook's successful experiments with the target's decisions and data (config hash and dataset
        revisions): every experiment compare.metrics.repeats() may count, read without the others. Their runs'
        stamps may lack the seeds the code set: repeats compare the stamps' packages, not seeds."""
        with self.pinned():
            same = [int(s.id[1:]) for s in self.derived.summaries(target.notebook_uri)
                    if s.status == "ok" and s.config_sha256 == target.config_sha256
                    and sorted(s.datasets) == sorted(target.datasets)]
            return self.derived.experiments(target.notebook_uri, same, seeds=False)

    def run_records(self, experiment: p.Experiment) -> p.LineageDocument:
        """The completed records of the experiment's run up to its execution (derived.DerivedExperiments)."""
        return self.derived.run_records(experiment)

    def of_run(self, notebook: str, session: int) -> list[p.Experiment]:
        """The experiments of one run, in number order."""
        with self.pinned():
            return self.derived.experiments(notebook, [int(s.id[1:]) for s in self.derived.summaries(notebook)
                                                       if s.session == session])

    def _locate(self, experiment: str) -> tuple[int, str]:
        """(number, notebook uri) of an experiment id."""
        number = parse_experiment_id(experiment)
        found = self.db.find(number)
        if found is None and not self.store.read_only:
            # ids are given at capture time when a kernel is asked, else at the first listing: number every
            # notebook's experiments once, then look again (only an id nobody has seen yet costs this)
            for notebook in self.store.notebooks():
                self.derived.current(notebook)
            found = self.db.find(number)
        if found is None:
            raise ExperimentNotFound(f"no experiment {experiment_id(number)} in this database")
        return number, found[0]

    # ------------------------------------------------------------ the user's actions
    def mark(self, notebook: str, cell_id: Optional[str] = None, seq: Optional[int] = None,
             name: Optional[str] = None) -> p.ExperimentSummary:
        doc = self.lineage(notebook)
        if seq is None:
            runs = [e for e in doc.executions if e.cell_id == cell_id]
            if not runs and cell_id and cell_id.isdigit():  # the number the tree shows: "cell 10"
                runs = [e for e in doc.executions if e.cell_index == int(cell_id) - 1]
            if not runs:
                raise ExperimentNotFound(f"no execution of cell {cell_id} recorded in {notebook}")
            seq = runs[-1].seq
        elif not any(e.seq == seq for e in doc.executions):
            raise ExperimentNotFound(f"no execution #{seq} recorded in {notebook}")
        self.generation += 1
        number = self.db.mark_manual(doc.notebook_uri, seq)
        if name is not None:
            self.db.set_name(number, name, None)
        return builder.summary(self.experiment(experiment_id(number)))

    def name(self, experiment: str, name: Optional[str] = None, notes: Optional[str] = None) -> p.ExperimentSummary:
        target = self.experiment(experiment)
        self.generation += 1
        self.db.set_name(int(target.id[1:]), name, notes)
        return builder.summary(self.experiment(target.id))

    def reparent(self, experiment: str, parent: Optional[str]) -> p.ExperimentSummary:
        from .parent import creates_cycle

        target, everything = self._with_family(experiment)
        number = int(target.id[1:])
        parent_number = None
        if parent is not None:
            parent_number = parse_experiment_id(parent)
            if not any(int(e.id[1:]) == parent_number for e in everything):
                raise ExperimentNotFound(f"{experiment_id(parent_number)} is not an experiment of the same notebook")
            current = {int(e.id[1:]): (int(e.parent[1:]) if e.parent else None) for e in everything}
            if parent_number == number or creates_cycle(current, number, parent_number):
                raise ValueError(f"{experiment_id(parent_number)} descends from {target.id}: that would make a cycle")
        self.generation += 1
        self.db.set_parent(number, parent_number)
        return builder.summary(self.experiment(target.id))

    def export(self, experiment: str, fmt: str, out_dir: str, include_all: bool = False) -> p.ExportResult:
        from .export import jsondoc, mtrack
        from .export.write import write_files

        target, everything = self._with_family(experiment)
        chosen = everything if include_all else [target]
        by_id = {e.id: e for e in everything}
        folder = _notebook_folder(self.run_lineage(target.notebook_uri, target.session))
        result = p.ExportResult()
        for item in chosen:
            parent = by_id.get(item.parent) if item.parent else None
            if item.intent is None and not item.notes:
                # a copy: the built experiments are kept (all()), and the intent is read from the file as it is now
                item = item.model_copy(update={"intent": _intent(self.run_lineage(item.notebook_uri, item.session),
                                                                 item, parent)})
            files = mtrack.files(item, parent, folder) if fmt == "mtrack" else jsondoc.files(item)
            write_files(out_dir, files, result)
        return result

    # ------------------------------------------------------------ the lineage document
    def annotate(self, doc: p.LineageDocument, include_experiments: bool = True) -> None:
        """Add sessions[].stamp and experiments[] to a lineage document (fields only added)."""
        if not doc.executions:
            return
        try:
            stamps = self.db.stamps(doc.notebook_uri)
            for session in doc.sessions:
                if session.id in stamps:
                    session.stamp = builder.stamp_with_seeds(doc, session.id, stamps[session.id])
            if include_experiments:
                doc.experiments = self.derived.summaries(doc.notebook_uri)
        except Exception:  # experiments are an addition: the lineage itself must still be served
            log.warning("experiments could not be added to the lineage of %s", doc.notebook_uri, exc_info=True)


def _bounded(cache: dict) -> dict:
    if len(cache) > 20_000:  # a long-lived sidecar: start over rather than grow without end
        cache.clear()
    return cache


def _might_be_experiment(event: p.CellExecution) -> bool:
    if _MAYBE.search(event.source):
        return True
    return any(o.text and o.output_type == "stream" and _MAYBE.search(o.text) for o in event.outputs)


def _folder(event: p.CellExecution) -> Optional[str]:
    from ..input_files import notebook_dir

    folder = notebook_dir(event)
    return str(folder) if folder is not None else None


def _notebook_folder(doc: p.LineageDocument) -> Optional[str]:
    path = doc.notebook
    return os.path.dirname(path) if path and "://" not in path else None


def _intent(doc: p.LineageDocument, experiment: p.Experiment, parent: Optional[p.Experiment]) -> Optional[str]:
    """The markdown right above the experiment's cell and above each cell that changed since its parent
    (for a root: the notebook's first markdown cell too), read from the notebook file as it is now."""
    path = doc.notebook
    if not path or "://" in path or not os.path.exists(path):
        return None
    try:
        from ..notebook_file import read_notebook

        cells = read_notebook(path)["cells"]
    except Exception:
        return None
    before = {s.cell_id: s.source_sha256 for s in parent.slice} if parent else {}
    wanted = [s.cell_id for s in experiment.slice if parent and before.get(s.cell_id) != s.source_sha256]
    wanted.append(experiment.cell_id)
    ids = [str(c.get("id") or f"cell-{i}") for i, c in enumerate(cells)]
    texts: list[str] = []
    if parent is None:
        first = next((c for c in cells if c.get("cell_type") == "markdown"), None)
        if first is not None:
            texts.append(_source(first))
    for cell_id in dict.fromkeys(wanted):
        if cell_id not in ids:
            continue
        i = ids.index(cell_id) - 1
        block = []
        while i >= 0 and cells[i].get("cell_type") == "markdown":
            block.insert(0, _source(cells[i]))
            i -= 1
        texts.extend(t for t in block if t not in texts)
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    return text or None


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)
