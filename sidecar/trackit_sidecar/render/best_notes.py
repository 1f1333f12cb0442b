"""What `trackit ask` says beside the best experiment (render/answers.py, "which model is best?"): what its metric
measured, a class its model never found, other test rows, a tie or the same model scored twice. Pure."""

from __future__ import annotations

from typing import Optional

from ..compare.ask.answer import evaluated_on
from ..protocol import Experiment
from .words import code


AVERAGED_RECALLS = ("macro_avg", "weighted_avg", "micro_avg", "samples_avg")


def missed_class_note(e: Experiment) -> str:
    """islr chapter 4: "The best accuracy is E0032: accuracy 0.94", a logistic regression on Caravan whose
    classification report says recall.yes 0: it predicted no `Yes`, and 0.94 is about the share of `No` rows, what a
    model predicting `No` for every row scores. No record holds the classes' shares, but the recalls the report gave
    say it: a class none of whose rows the model found, and with two classes the bound that puts on its accuracy."""
    recalls = {m.name.split(".", 1)[1]: m.value for m in e.metrics
               if m.name.startswith("recall.") and m.name.split(".", 1)[1] not in AVERAGED_RECALLS}
    missed = [name for name, value in recalls.items() if value == 0]
    if len(recalls) < 2 or not missed:
        return ""
    note = f"; its recall of {', '.join(code(name) for name in missed)} is 0: it found none of those rows"
    if len(recalls) == 2 and len(missed) == 1:
        other = next(name for name in recalls if name != missed[0])
        note += (f", so its accuracy is at most the share of {code(other)} among the rows it was scored on, what "
                 f"predicting {code(other)} for every row scores")
    return note


def _test_labels(e: Experiment) -> Optional[str]:
    """The fingerprint of the true labels the metric read: a split's one-column output among the metric's inputs
    (`y_test`), as the kernel measured it. None: not measured, or no split (cross-validation)."""
    split = {f.variable for f in e.frames if f.role == "split"}
    found = [f.fingerprint for f in e.frames
             if f.role == "metric" and f.variable in split and f.cols is None and f.fingerprint]
    return found[0] if len(found) == 1 else None


def test_rows_note(e: Experiment, every: list[Experiment], metric: str) -> str:
    """rev23 left: experiments on one file and target rank together when their splits differ (another random_state,
    another test_size), their scores measured on other rows; the answer says how many sets of test rows it ranked."""
    group = evaluated_on(e)
    ranked = [other for other in every if evaluated_on(other) == group and other.status == "ok"
              and any(m.name == metric for m in other.metrics)]
    rows = {labels for labels in map(_test_labels, ranked) if labels is not None}
    if len(rows) < 2:
        return ""
    return (f"; the {len(ranked)} experiments ranked were scored on {len(rows)} different sets of test rows (another "
            f"split, or other rows kept), so their {code(metric)} values differ by rows as well as by decisions")


def tied_note(e: Experiment, every: list[Experiment], metric: str) -> str:
    """pydata-book ch12, C=10 then C=1: "The best `cv_score` is E0002: cv_score 0.7845", while E0001 scored exactly
    the same: a tie, not a best; the others it is tied with are named."""
    value = next((m.value for m in e.metrics if m.name == metric), None)
    group = evaluated_on(e)
    tied = [other.id for other in every if other.id != e.id and other.status == "ok" and evaluated_on(other) == group
            and any(m.name == metric and m.value == value for m in other.metrics)]
    if value is None or not tied:
        return ""
    # rasbt ch03: `accuracy_score(y_test, y_pred)` and `ppn.score(X_test_std, y_test)` of one fitted Perceptron, in two
    # cells, read "E0001 scored exactly the same: a tie", as if two models had
    state = e.model.state_sha256 if e.model is not None else None
    by_id = {other.id: other for other in every}
    same = [i for i in tied if state and by_id[i].model is not None and by_id[i].model.state_sha256 == state]
    notes = []
    if same:
        notes.append(f"{', '.join(same)} scored the same fitted model (the same state) the same")
    if len(same) < len(tied):
        notes.append(f"{', '.join(i for i in tied if i not in same)} scored exactly the same: a tie")
    return "; " + "; ".join(notes)


def evaluated_on_words(e: Experiment, every: list[Experiment]) -> str:
    """", `LogisticRegression` on Data/Caravan.csv@D0001, predicting `Purchase`": what the experiment's metric
    measured; a data set whose revisions differ across the experiments ranked with it names them all
    ("customers.csv@D0001, D0002")."""
    data, target = evaluated_on(e)
    ranked_with = [other for other in every if evaluated_on(other) == (data, target)]
    revisions = {d: sorted({r.revision_id for other in ranked_with for r in other.data if r.dataset_id == d})
                 for d in data}
    named = ", ".join(f"{d}@{', '.join(revisions[d])}" for d in data)
    model = code(e.model.class_name) if e.model is not None else ""
    where = " ".join(part for part in (model, f"on {named}" if named else "") if part)
    predicting = f"predicting {code(target)}" if target else ""
    said = ", ".join(part for part in (where, predicting) if part)
    return f", {said}" if said else ""
