"""What a question asks, in free wording: an intent and the things it names. Pure.

The vocabulary is the records': experiment ids, dataset revisions and file names, metric names, the notebook's
variables and columns are looked up in the question (so "why did acc drop?" finds `accuracy`, "what made
X_train?" finds the variable). The cue words for each intent are data (CUES), tried in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...experiments.metric_names import normalize_name
from ...experiments.revisions import experiment_id
from ..evidence import hypothesis_id

# intent -> patterns that cue it (lower-cased question); the first intent whose cue matches (and whose entity is
# found, where it needs one) wins, in this order
CUES: list[tuple[str, tuple[str, ...]]] = [
    ("dirty_runs", (r"\bdirty\b", r"uncommitted", r"not committed", r"unclean", r"work(ing)?[ -]?tree",
                    r"local (changes|modifications)", r"\bgit status\b")),
    ("why_metric", (r"\bwhy\b", r"what (made|caused|explains)", r"reason", r"how come", r"\bexplain")),
    ("experiments_using_data", (r"\b(experiments?|runs?|results?|models?)\b.*\b(use[ds]?|using|read|trained on|saw|"
                                r"with|from)\b", r"\bwhich\b.*\b(use[ds]?|read|saw)\b", r"\bused\b")),
    ("experiments_using_column", (r"\b(experiments?|runs?|models?)\b.*\bcolumns?\b", r"\bcolumns?\b.*\b(experiments?|"
                                  r"runs?|models?)\b", r"\bexperiments?\b.*\b(use[ds]?|using|with)\b")),
    ("variable_origin", (r"\bproduc", r"come[s]? from", r"\bmade\b", r"\bcreated?\b", r"\bbuilt\b", r"\bderived\b",
                         r"\borigin", r"\blineage\b", r"where did", r"how (was|is|did) .* (made|computed|built|get)",
                         r"\bwrote\b", r"\bdefined\b", r"upstream")),
    ("column_steps", (r"\bsteps?\b", r"\btouch", r"\bmodif", r"\btransform", r"\bchang", r"\baffect", r"happen(ed|s)? to",
                      r"\bclean", r"\bfill", r"\bimput", r"\bdrop", r"\bwhere\b")),
    ("diff", (r"\bchang", r"\bdiff", r"\bdifferen", r"\bcompar", r"\bvs\.?\b", r"\bversus\b", r"what's new", r"\bbetween\b")),
    ("best_experiment", (r"\bbest\b", r"\bhighest\b", r"\blowest\b", r"\btop\b", r"\bwinner\b")),
    ("list_experiments", (r"\bexperiments\b", r"\bruns\b", r"\bresults\b", r"\blist\b", r"\bhistory\b")),
]
NEEDS = {"experiments_using_data": "dataset", "experiments_using_column": "column", "variable_origin": "variable",
         "column_steps": "column"}
DROP_WORDS = r"\b(drop(ped|s)?|fall|fell|decreas|declin|worse|down|lower|dip|regress|degrad|hurt)"
EXPERIMENT_WORDS = r"\b(experiments?|models?|results?|metrics?|scores?)\b"
RISE_WORDS = r"\b(improv|increas|ris[ei]|rose|better|up|higher|jump|gain|boost)"
_EXPERIMENT = re.compile(r"\b[Ee]0*([1-9]\d*)\b")
_REVISION = re.compile(r"\b[Dd]0*([1-9]\d*)\b")
# the hypotheses the user recorded (`trackit hypothesis add`): "is H1 supported?", "which hypotheses held?", tried
# before CUES: a question naming one is about it, whatever else it says
HYPOTHESIS_WORDS = r"\bhypothes[ie]s\b"
_HYPOTHESIS = re.compile(r"\b[Hh]0*([1-9]\d*)\b")
# a hypothesis' status a question asks about: "which hypotheses are supported?" (protocol.HypothesisStatus)
_STATUS = {"supported": r"\bsupport", "refuted": r"\brefut|\bdisprov|\brejected", "inconclusive": r"\binconclusive",
           "testing": r"\btesting\b|\bundecided", "proposed": r"\bproposed\b"}
# "run 1 and run 2", "runs 2 and 3", "run 1 vs 3": the runs a question names, in the order written
_RUNS = re.compile(r"\bruns?\s+(\d+)(?:\s*(?:and|&|,|vs\.?|versus|to|->|→)\s*(?:run\s+)?(\d+))?")
_WORD = re.compile(r"[A-Za-z_][\w.\-^/]*")
# "the column TV", "column `Sales`": a column named in so many words, known to the records or not
_COLUMN_WORD = re.compile(r"\bcolumns?\s+[`'\"]?([A-Za-z_][\w.\-]*)")


@dataclass
class Vocabulary:
    """The names the records know, to look up in a question."""

    experiments: set[str] = field(default_factory=set)  # "E0003"
    metrics: set[str] = field(default_factory=set)  # normalised metric names
    datasets: set[str] = field(default_factory=set)  # dataset ids "titanic/passengers.csv"
    variables: set[str] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)
    hypotheses: set[str] = field(default_factory=set)  # "H0001"


@dataclass
class Intent:
    kind: str  # protocol.AskIntent
    experiments: list[str] = field(default_factory=list)  # ids named, in the order written
    pair: Optional[str] = None  # "last_two" | "best_latest" | "last_runs" | "latest_previous" when no ids are named
    runs: list[int] = field(default_factory=list)  # runs (sessions) named, in the order written
    metric: Optional[str] = None
    direction: Optional[str] = None  # why_metric: "drop" | "rise" | None (any change)
    dataset: Optional[str] = None
    revision: Optional[str] = None  # "D0002"
    column: Optional[str] = None
    variable: Optional[str] = None
    # a column the question names ("the column TV") that no recorded step does: said so, rather than answering another
    # question (sklearn-videos 07, "which experiments used the column TV?", the cells that read TV never ran: it
    # listed all 10 experiments under "10 experiment(s):")
    unknown_column: Optional[str] = None
    hypotheses: list[str] = field(default_factory=list)  # hypothesis ids named ("H0001"), in the order written
    status: Optional[str] = None  # hypotheses: the status asked about ("which hypotheses are supported?")


def _named(question: str, names: set[str]) -> Optional[str]:
    """The longest known name written in the question: as written (quoted or bare), else ignoring case."""
    found = [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", question)]
    if not found:
        lowered = question.lower()
        found = [n for n in names if len(n) > 1 and re.search(rf"(?<![\w]){re.escape(n.lower())}(?![\w])", lowered)]
    return max(found, key=len) if found else None


def _metric(question: str, vocabulary: Vocabulary) -> Optional[str]:
    direct = _named(question, vocabulary.metrics)
    if direct:
        return direct
    for word in _WORD.findall(question):  # "acc", "R^2", "rmse" through the metric aliases
        name = normalize_name(word)
        if name in vocabulary.metrics:
            return name
    return None


def _dataset(question: str, vocabulary: Vocabulary) -> Optional[str]:
    by_file = {d.rsplit("/", 1)[-1]: d for d in vocabulary.datasets}
    found = _named(question, vocabulary.datasets) or _named(question, set(by_file))
    if found in by_file:
        return by_file[found]
    if found is None:  # "the passengers file", "passengers data": a file name without its extension
        stems = {name.rsplit(".", 1)[0]: full for name, full in by_file.items()}
        stem = _named(question, set(stems))
        return stems.get(stem) if stem else None
    return found


def parse(question: str, vocabulary: Vocabulary) -> Intent:
    text = question.strip()
    lowered = text.lower()
    ids = [experiment_id(int(n)) for n in _EXPERIMENT.findall(text)]
    runs = [int(n) for found in _RUNS.findall(lowered) for n in found if n]
    revision = _REVISION.search(text)
    entities = {
        "dataset": _dataset(text, vocabulary),
        "column": _named(text, vocabulary.columns),
        "variable": _named(text, vocabulary.variables),
    }
    pair = None
    if re.search(r"\b(last|latest|previous|recent) (two|2)\b|\btwo (latest|last|most recent)\b", lowered):
        pair = "last_two"
    elif re.search(r"\bbest\b.*\b(latest|last|newest|current)\b|\b(latest|last|newest|current)\b.*\bbest\b", lowered):
        pair = "best_latest"
    intent = Intent(kind="unknown", experiments=ids, pair=pair, metric=_metric(text, vocabulary),
                    revision=f"D{int(revision.group(1)):04d}" if revision else None, dataset=entities["dataset"],
                    column=entities["column"], variable=entities["variable"], runs=runs)
    named_column = _COLUMN_WORD.search(text)
    if intent.column is None and named_column and named_column.group(1).lower() not in ("of", "in", "the", "a"):
        intent.unknown_column = named_column.group(1)
    if re.search(DROP_WORDS, lowered):
        intent.direction = "drop"
    elif re.search(RISE_WORDS, lowered):
        intent.direction = "rise"
    # "H1" is a hypothesis the user recorded, or one asked about with the word ("is hypothesis H7 supported?")
    # (an id none was given: "is H7 supported?" still asks about a hypothesis, to be told there is no H7)
    named_hypotheses = [hypothesis_id(int(n)) for n in _HYPOTHESIS.findall(text)]
    status = next((status for status, cue in _STATUS.items() if re.search(cue, lowered)), None)
    if (any(h in vocabulary.hypotheses for h in named_hypotheses) or re.search(HYPOTHESIS_WORDS, lowered)
            or (named_hypotheses and status)):
        intent.hypotheses, intent.status, intent.kind = named_hypotheses, status, "hypotheses"
        return intent
    for kind, cues in CUES:
        if not any(re.search(cue, lowered) for cue in cues):
            continue
        if kind == "experiments_using_data" and not (intent.dataset or intent.revision):
            continue
        if kind in NEEDS and kind != "experiments_using_data" and getattr(intent, NEEDS[kind]) is None and not (
                NEEDS[kind] == "column" and intent.unknown_column):
            continue
        if kind == "variable_origin" and intent.column and not intent.variable:
            continue
        if kind == "why_metric" and intent.metric is None and not ids:
            continue
        if kind == "diff" and not ids and pair is None:
            # a bare "what changed?" (rev19: it got "I could not tell what you are asking") asks what the last run
            # changed: its edits against the run before, with each experiment's metric changes (rev21: it answered the
            # latest experiment against its previous run, "No step diverged", after a run that edited two cells).
            # In a notebook of one run, or asked of an experiment ("since the previous experiment?"), the latest
            # experiment against its previous run's, else its parent.
            intent.pair = "latest_previous" if re.search(EXPERIMENT_WORDS, lowered) else "last_runs"
            if len(runs) == 2:  # "what changed between run 1 and run 2?" was answered with runs 2 -> 3, the last two
                intent.pair = "named_runs"
        intent.kind = kind
        break
    if intent.kind == "unknown" and len(ids) >= 2:
        intent.kind = "diff"
    return intent
