"""Score TrackIT's static step lineage against the blind corpus labels, on (cell, op).

    .venv/bin/python tests/corpus/score.py                      # all, tuning and held-out, per op
    .venv/bin/python tests/corpus/score.py --per-notebook       # also one line per notebook
    .venv/bin/python tests/corpus/score.py --json scores.json   # machine-readable, for the README tables
    .venv/bin/python tests/corpus/score.py --split tuning --mismatches   # what to work on; never tune on held-out
    .venv/bin/python tests/corpus/score.py --batch 4                     # one batch only (manifest "batch")
    .venv/bin/python tests/corpus/score.py --committed                   # only the notebooks committed here (CI)

The notebooks are public material. The pinned files are restored outside the repository (tests/corpus/blind/README.md
says how; TRACKIT_BLIND_NOTEBOOKS names another folder than /work/corpus/blind/nb); those whose licence allows it are
also committed, in a smaller form that scores the same (tests/corpus/blind/committed.py). `notebook_path` is the one
place that finds a notebook: the restored file, else the committed copy. A cell's expected ops and predicted ops
are compared as multisets: a hit is an op present in both; what is left over in a cell is paired as a confusion
(expected X, predicted Y), else counted as missed (X -> none) or spurious (none -> Y).

Parts printed: each batch's all / tuning / held-out, then everything chosen. A notebook of the manifest without
a label file is listed once as not labelled yet and left out of every figure (never counted as zero).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
BLIND = HERE / "blind"
DEFAULT_NOTEBOOKS = Path(os.environ.get("TRACKIT_BLIND_NOTEBOOKS") or "/work/corpus/blind/nb")
sys.path.insert(0, str(BLIND))
import committed  # noqa: E402  (tests/corpus/blind/committed.py: which notebooks are committed, and where)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Tally") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class NotebookScore:
    id: str
    split: str
    batch: int
    total: Tally = field(default_factory=Tally)
    per_op: dict[str, Tally] = field(default_factory=dict)
    confusions: Counter = field(default_factory=Counter)  # (expected, predicted); None = missed/spurious
    mismatches: list[str] = field(default_factory=list)
    # the same (cell, op) matching with only the steps whose op is asserted (protocol.Step.inferred_from absent): what
    # TrackIT states as fact; `inferred` holds the hits and misses of the guessed steps, matched to the labels those
    # left over (so asserted.tp + inferred.tp == total.tp, and its fn is unused)
    asserted: Tally = field(default_factory=Tally)
    inferred: Tally = field(default_factory=Tally)


def predicted_ops(notebook: Path) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """cell_index -> ops, from TrackIT's static analysis of the notebook file (`trackit analyze`); and cell_index ->
    the ops among them that are guesses (Step.inferred_from)."""
    from trackit_sidecar.lineage.static_notebook import analyze_notebook

    doc = analyze_notebook(notebook)
    found: dict[int, list[str]] = {}
    guessed: dict[int, list[str]] = {}
    for execution in doc.executions:
        found.setdefault(execution.cell_index, []).extend(step.op for step in execution.steps)
        guessed.setdefault(execution.cell_index, []).extend(step.op for step in execution.steps if step.inferred_from)
    return found, guessed


def score_notebook(entry: dict, labels: dict, predicted: dict[int, list[str]],
                   inferred: Optional[dict[int, list[str]]] = None) -> NotebookScore:
    """`predicted`: every op per cell; `inferred`: those of them that are guesses (none when not given)."""
    score = NotebookScore(entry["id"], entry["split"], entry["batch"])
    expected = {int(k): [s["op"] for s in v] for k, v in labels["cells"].items()}
    for cell in sorted(set(expected) | set(predicted)):
        want, got = Counter(expected.get(cell, [])), Counter(predicted.get(cell, []))
        guessed = Counter((inferred or {}).get(cell, []))
        stated = got - guessed
        asserted_hits = sum(min(want[op], stated[op]) for op in stated)
        hits = sum(min(want[op], got[op]) for op in got)
        score.asserted.add(Tally(asserted_hits, sum(stated.values()) - asserted_hits,
                                 sum(want.values()) - asserted_hits))
        score.inferred.add(Tally(hits - asserted_hits, sum(guessed.values()) - (hits - asserted_hits), 0))
        for op in set(want) | set(got):
            hit = min(want[op], got[op])
            tally = Tally(hit, got[op] - hit, want[op] - hit)
            score.per_op.setdefault(op, Tally()).add(tally)
            score.total.add(tally)
        missing, extra = sorted((want - got).elements()), sorted((got - want).elements())
        if missing or extra:
            score.mismatches.append(f"cell {cell}: missing {missing} extra {extra}")
        for i in range(max(len(missing), len(extra))):
            score.confusions[(missing[i] if i < len(missing) else None,
                              extra[i] if i < len(extra) else None)] += 1
    return score


def manifest_entries(batch: Optional[int] = None) -> list[dict]:
    manifest = json.loads((BLIND / "manifest.json").read_text())
    return [e for e in manifest if batch is None or e["batch"] == batch]


def label_file(entry: dict) -> Path:
    return BLIND / "labels" / f"{entry['id']}.json"


def notebook_path(entry: dict, notebooks_dir: Path) -> Path:
    """The restored pinned file when it is there, else the committed copy when there is one (it scores the same:
    README "Committed notebooks"), else the restored path, which does not exist."""
    restored = notebooks_dir / f"{entry['id']}.ipynb"
    if restored.exists() or committed.committed_form(entry) is None:
        return restored
    return committed.committed_path(entry)


def load_corpus(notebooks_dir: Path, batch: Optional[int] = None, split: str = "all",
                only_committed: bool = False) -> list[tuple[dict, dict, Path]]:
    """The labelled notebooks (of one batch, or all; of one split, or all; only the committed ones, or all):
    (manifest entry, labels, notebook path). A split chosen here is the only one analysed: tuning with --split
    tuning never runs the classifier on, or prints a figure of, a held-out notebook."""
    rows = []
    for entry in manifest_entries(batch):
        if split != "all" and entry["split"] != split:
            continue
        if only_committed and committed.committed_form(entry) is None:
            continue
        if not label_file(entry).exists():
            continue
        labels = json.loads(label_file(entry).read_text())
        if labels.get("skip"):
            continue
        rows.append((entry, labels, notebook_path(entry, notebooks_dir)))
    return rows


def not_labelled(batch: Optional[int] = None) -> list[str]:
    return [e["id"] for e in manifest_entries(batch) if not label_file(e).exists()]


def pct(value: Optional[float]) -> str:
    return "    -" if value is None else f"{value * 100:5.1f}"


def pooled(scores: list[NotebookScore]) -> tuple[Tally, dict[str, Tally], Counter]:
    total, per_op, confusions = Tally(), {}, Counter()
    for s in scores:
        total.add(s.total)
        for op, t in s.per_op.items():
            per_op.setdefault(op, Tally()).add(t)
        confusions.update(s.confusions)
    return total, per_op, confusions


def pooled_certainty(scores: list[NotebookScore]) -> dict[str, Optional[float]]:
    """The part's figures of what TrackIT asserts and what it infers (NotebookScore.asserted / inferred): the share of
    predicted steps that are inferred, the precision of each, and the recall of the asserted steps alone."""
    asserted, inferred, total = Tally(), Tally(), Tally()
    for s in scores:
        asserted.add(s.asserted)
        inferred.add(s.inferred)
        total.add(s.total)
    predicted = total.tp + total.fp
    return {"inferred_share": (inferred.tp + inferred.fp) / predicted if predicted else None,
            "asserted_precision": asserted.precision, "inferred_precision": inferred.precision,
            "asserted_recall": asserted.recall}


def report(title: str, scores: list[NotebookScore], show_confusions: int = 25) -> list[str]:
    total, per_op, confusions = pooled(scores)
    lines = [f"== {title}: {len(scores)} notebooks, {total.tp + total.fn} labelled steps, "
             f"{total.tp + total.fp} predicted",
             f"   precision {pct(total.precision)}%   recall {pct(total.recall)}%",
             certainty_line(pooled_certainty(scores)),
             f"   {'op':<20} {'labelled':>8} {'predicted':>9} {'prec%':>6} {'rec%':>6}"]
    for op in sorted(per_op, key=lambda o: -(per_op[o].tp + per_op[o].fn)):
        t = per_op[op]
        lines.append(f"   {op:<20} {t.tp + t.fn:>8} {t.tp + t.fp:>9} {pct(t.precision):>6} {pct(t.recall):>6}")
    worst = min(scores, key=lambda s: min(s.total.precision or 1.0, s.total.recall or 1.0), default=None)
    if worst is not None:
        lines.append(f"   lowest notebook: {worst.id} (precision {pct(worst.total.precision)}%, "
                     f"recall {pct(worst.total.recall)}%)")
    if show_confusions:
        lines.append("   confusions (labelled -> predicted), most frequent first:")
        for (want, got), n in confusions.most_common(show_confusions):
            lines.append(f"     {n:>4}  {want or 'none':<18} -> {got or 'none'}")
    return lines


def certainty_line(figures: dict[str, Optional[float]]) -> str:
    return (f"   inferred {pct(figures['inferred_share'])}% of predicted   asserted precision "
            f"{pct(figures['asserted_precision'])}%   inferred precision {pct(figures['inferred_precision'])}%   "
            f"recall of asserted steps alone {pct(figures['asserted_recall'])}%")


def parts(scores: list[NotebookScore], batches: list[int]) -> list[tuple[str, str, list[NotebookScore]]]:
    """(title, split, notebooks): each batch's all / tuning / held-out, then everything."""
    found = []
    for batch in batches:
        of_batch = [s for s in scores if s.batch == batch]
        found.append((f"batch {batch} all", "all", of_batch))
        found += [(f"batch {batch} {split}", split, [s for s in of_batch if s.split == split])
                  for split in ("tuning", "heldout")]
    found.append(("everything" if len(batches) > 1 else f"everything (batch {batches[0]})", "all", scores))
    return found


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=DEFAULT_NOTEBOOKS, help="folder of <id>.ipynb")
    parser.add_argument("--batch", type=int, choices=sorted({e["batch"] for e in manifest_entries()}),
                        help="score one batch only (default: every batch)")
    parser.add_argument("--per-notebook", action="store_true")
    parser.add_argument("--mismatches", action="store_true", help="every mismatching cell")
    parser.add_argument("--json", type=Path, help="write per-notebook and pooled scores here")
    parser.add_argument("--split", choices=("all", "tuning", "heldout"), default="all",
                        help="score this split only: nothing else is analysed or printed (tune on 'tuning' only)")
    parser.add_argument("--committed", action="store_true",
                        help="score only the notebooks committed in tests/corpus/blind/notebooks (what CI gates)")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.notebooks, args.batch, args.split, only_committed=args.committed)
    unlabelled = not_labelled(args.batch)
    if unlabelled:
        print(f"not labelled yet, left out ({len(unlabelled)}): {', '.join(unlabelled)}")
    if not corpus:
        print("score: no labelled notebook to score", file=sys.stderr)
        return 2
    missing = [str(path) for _, _, path in corpus if not path.exists()]
    if missing:
        print(f"score: blind notebooks not found ({len(missing)} missing, e.g. {missing[0]}); "
              "restore them (tests/corpus/blind/README.md) or score the committed ones only: --committed",
              file=sys.stderr)
        return 2
    scores = [score_notebook(entry, labels, *predicted_ops(path)) for entry, labels, path in corpus]
    batches = sorted({s.batch for s in scores})
    # confusions are listed for the part chosen with --split only: held-out errors stay unseen while tuning
    out = []
    for title, split, chosen in parts(scores, batches):
        out += report(title, chosen, show_confusions=25 if args.split == split else 0)
    if args.per_notebook or args.mismatches:
        out.append("== per notebook (batch, split, labelled, precision%, recall%)")
        for s in sorted(scores, key=lambda s: (s.batch, s.id)):
            if args.split != "all" and s.split != args.split:
                continue
            out.append(f"   {s.id:<48} {s.batch:>5} {s.split:<8} {s.total.tp + s.total.fn:>4} "
                       f"{pct(s.total.precision):>6} {pct(s.total.recall):>6}")
            if args.mismatches:
                out += [f"       {m}" for m in s.mismatches]
    print("\n".join(out))
    if args.json:
        total, _, _ = pooled(scores)
        args.json.write_text(json.dumps({
            "pooled": {"precision": total.precision, "recall": total.recall, **pooled_certainty(scores)},
            "parts": {title: {"precision": pooled(chosen)[0].precision, "recall": pooled(chosen)[0].recall,
                              **pooled_certainty(chosen)} for title, _, chosen in parts(scores, batches)},
            "not_labelled": unlabelled,
            "notebooks": {s.id: {"batch": s.batch, "split": s.split, "labelled": s.total.tp + s.total.fn,
                                 "precision": s.total.precision, "recall": s.total.recall,
                                 **pooled_certainty([s])} for s in scores},
        }, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
