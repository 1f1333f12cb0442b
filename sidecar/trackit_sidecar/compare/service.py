"""CompareService: diffs, hypotheses and answers for the CLI and the server, thin over the store, the
experiments service and the pure modules of compare/. Runs on the store's thread like every service."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .. import protocol as p
from ..config import Settings
from ..experiments.revisions import experiment_id, parse_experiment_id
from ..experiments.service import ExperimentNotFound, ExperimentService
from ..lineage.code_names import call_derivations
from ..render.compare import label_diff
from ..render.hypotheses import label_hypothesis
from ..render.words import counted
from ..store import Store, iso_utc
from . import evidence as proof
from . import sides
from .diff import diff as diff_sides
from .ask import llm
from .ask.answer import Records as AskRecords
from .ask.answer import answer as answer_question
from .ask.answer import vocabulary
from .ask.intents import parse as parse_question
from .metrics import repeats

_RUN = re.compile(r"^\s*(?:run|r|session)\s*#?\s*(\d+)\s*$", re.IGNORECASE)


class HypothesisNotFound(LookupError):
    pass


def parse_run(ref: str) -> Optional[int]:
    """"run 2", "run2", "r2" -> 2; None for anything else (an experiment id)."""
    match = _RUN.match(ref)
    return int(match.group(1)) if match else None


@dataclass
class AskPlan:
    """A question answered on the store's thread; an LLM's turn (if any) can run on another."""

    answer: p.AskAnswer  # the built-in answer, with the retrieved records
    doc: p.LineageDocument
    experiments: set[str]
    records: str  # unredacted: the numbers an LLM's answer may state
    prompt: Optional[llm.Prompt] = None


class CompareService:
    def __init__(self, store: Store, experiments: ExperimentService, lineage: Callable[[str], p.LineageDocument],
                 run_lineage: Callable[[str, int], p.LineageDocument], settings: Optional[Settings] = None):
        """`lineage(notebook)`: the notebook's completed records; `run_lineage(notebook, session)`: one run's
        (a diff reads the two runs it compares, not the notebook)."""
        self.store = store
        self.experiments = experiments
        self.lineage = lineage
        self.run_lineage = run_lineage
        self.settings = settings or Settings()

    # ------------------------------------------------------------ diff
    def _side(self, ref: str, notebook: Optional[str]) -> tuple[sides.Side, dict[str, list[float]]]:
        session = parse_run(ref)
        if session is not None:
            if notebook is None:
                raise ValueError(f"{ref.strip()!r} is a run: say which notebook it is a run of")
            doc = self.run_lineage(notebook, session)
            if not doc.executions:
                raise ExperimentNotFound(f"no run {session} recorded for {notebook}")
            stamp = self.store.experiments.stamps(doc.notebook_uri, [session]).get(session)
            return sides.from_run(doc, session, self.experiments.of_run(notebook, session), stamp), {}
        target = self.experiments.experiment(ref)
        return (sides.from_experiment(target, self.experiments.run_records(target)),
                repeats(target, self.experiments.repeat_candidates(target)))

    def diff(self, a: str, b: str, notebook: Optional[str] = None) -> p.ExperimentDiff:
        with self.experiments.pinned():
            side_a, repeats_a = self._side(a, notebook)
            side_b, repeats_b = self._side(b, notebook)
        derivations = ({e.seq: call_derivations(e) for e in side_a.executions},
                       {e.seq: call_derivations(e) for e in side_b.executions})
        return label_diff(diff_sides(side_a, side_b, repeats_a, repeats_b), derivations)

    # ------------------------------------------------------------ hypotheses
    def _records(self, numbers: Optional[list[int]] = None) -> list[proof.HypothesisRecord]:
        db = self.store.hypotheses
        thresholds, links, statuses = db.thresholds(), db.links(), db.statuses()
        records = []
        for number, statement, metric, direction, baseline, created in db.rows(numbers):
            override = statuses.get(number)
            records.append(proof.HypothesisRecord(
                number=number, statement=statement, metric=metric, direction=direction, baseline=baseline,
                created_at=iso_utc(created * 1000),
                thresholds=p.HypothesisThresholds.model_validate_json(thresholds[number]) if number in thresholds
                else p.HypothesisThresholds(),
                experiments=links.get(number, []),
                override=(override[0], override[1], iso_utc(override[2] * 1000)) if override else None))
        return records

    def _families(self, numbers: set[int]) -> dict[str, list[p.Experiment]]:
        """notebook uri -> its experiments, for every notebook one of these experiment numbers belongs to."""
        notebooks = {found[0] for found in (self.store.experiments.find(n) for n in numbers) if found}
        return {notebook: self.experiments.all(notebook) for notebook in sorted(notebooks)}

    def _build(self, records: list[proof.HypothesisRecord]) -> list[p.Hypothesis]:
        with self.experiments.pinned():
            return self._build_pinned(records)

    def _build_pinned(self, records: list[proof.HypothesisRecord]) -> list[p.Hypothesis]:
        wanted = {n for r in records for n in r.experiments}
        wanted |= {parse_experiment_id(r.baseline) for r in records if r.baseline not in proof.BASELINE_RULES}
        families = self._families(wanted)
        known = {e.id: e for family in families.values() for e in family}
        family_of = {e.id: family for family in families.values() for e in family}
        noise = {e.id: repeats(e, family_of[e.id]) for e in known.values()}
        built = []
        for record in records:
            pieces = []
            for number in record.experiments:
                ref = experiment_id(number)
                pieces.append(proof.evidence(record, known.get(ref), ref, family_of.get(ref, []), known, noise))
            computed = proof.status(pieces, record.thresholds, len(record.experiments))
            hypothesis = p.Hypothesis(
                id=proof.hypothesis_id(record.number), statement=record.statement, metric=record.metric_name,
                direction=record.effective_direction, baseline=record.baseline, thresholds=record.thresholds,
                created_at=record.created_at, experiments=[experiment_id(n) for n in record.experiments],
                evidence=pieces, computed_status=computed, status=computed)  # type: ignore[arg-type]
            if record.override is not None:
                hypothesis.status, hypothesis.status_note, hypothesis.status_set_at = record.override  # type: ignore[assignment]
                hypothesis.status_set_by_user = True
            built.append(label_hypothesis(hypothesis))
        return built

    def hypothesis(self, hypothesis: str) -> p.Hypothesis:
        number = proof.parse_hypothesis_id(hypothesis)
        found = self._build(self._records([number]))
        if not found:
            raise HypothesisNotFound(f"no hypothesis {proof.hypothesis_id(number)} in this database")
        return found[0]

    def hypotheses(self, notebook: Optional[str] = None) -> p.HypothesisList:
        """Every hypothesis, or those linked to an experiment of `notebook`."""
        with self.experiments.pinned():
            built = self._build(self._records())
            if notebook is not None:
                ids = {e.id for e in self.experiments.experiments(notebook).experiments}
                built = [h for h in built if ids & set(h.experiments)]
        return p.HypothesisList(hypotheses=built)

    def add_hypothesis(self, statement: str, metric: str, direction: Optional[str] = None, baseline: str = "parent",
                       thresholds: Optional[p.HypothesisThresholds] = None) -> p.Hypothesis:
        if not statement.strip() or not metric.strip():
            raise ValueError("a hypothesis needs a statement and a metric")
        if direction not in (None, "higher", "lower"):
            raise ValueError(f"direction must be higher (max) or lower (min), got {direction!r}")
        rule = proof.check_baseline(baseline)
        if rule not in proof.BASELINE_RULES:
            self.experiments.with_family(rule)  # the named baseline must exist
        thresholds = _checked(thresholds or p.HypothesisThresholds())
        number = self.store.hypotheses.add(statement.strip(), metric.strip(), direction, rule,
                                           thresholds.model_dump_json())
        return self.hypothesis(proof.hypothesis_id(number))

    def _number(self, hypothesis: str) -> int:
        number = proof.parse_hypothesis_id(hypothesis)
        if not self.store.hypotheses.rows([number]):
            raise HypothesisNotFound(f"no hypothesis {proof.hypothesis_id(number)} in this database")
        return number

    def link(self, hypothesis: str, experiments: list[str], unlink: bool = False) -> p.Hypothesis:
        number = self._number(hypothesis)
        if not experiments:
            raise ValueError("name at least one experiment (E0007)")
        numbers = []
        for ref in experiments:
            target, _family = self.experiments.with_family(ref)  # raises ExperimentNotFound
            numbers.append(parse_experiment_id(target.id))
        self.store.hypotheses.link(number, numbers, linked=not unlink)
        return self.hypothesis(proof.hypothesis_id(number))

    def set_status(self, hypothesis: str, status: Optional[str], note: Optional[str] = None) -> p.Hypothesis:
        """The user's own status, recorded as set by hand (None: clear it; the evidence decides again)."""
        number = self._number(hypothesis)
        if status is not None and status not in p.HypothesisStatus.__args__:  # type: ignore[attr-defined]
            raise ValueError(f"status must be one of {', '.join(p.HypothesisStatus.__args__)}, got {status!r}")  # type: ignore[attr-defined]
        self.store.hypotheses.set_status(number, status, note)
        return self.hypothesis(proof.hypothesis_id(number))

    def set_thresholds(self, hypothesis: str, thresholds: p.HypothesisThresholds) -> p.Hypothesis:
        number = self._number(hypothesis)
        self.store.hypotheses.set_thresholds(number, _checked(thresholds).model_dump_json())
        return self.hypothesis(proof.hypothesis_id(number))


    # ------------------------------------------------------------ ask
    def ask_plan(self, notebook: str, question: str, provider: Optional[str] = None) -> AskPlan:
        """The built-in answer from the records, and (with a provider) the prompt an LLM would get."""
        from ..render.answers import records_text, words
        from ..redaction import redact

        if not question.strip():
            raise ValueError("ask a question, e.g. \"why did accuracy drop?\"")
        doc = self.lineage(notebook)
        if not doc.executions:
            raise LookupError(f"no executions recorded for {notebook}")
        experiments = self.experiments.all(notebook)
        ids = {e.id for e in experiments}
        hypotheses = [h for h in self.hypotheses().hypotheses if not h.experiments or ids & set(h.experiments)]
        records = AskRecords(doc=doc, experiments=experiments, stamps=self.store.experiments.stamps(doc.notebook_uri),
                             hypotheses=hypotheses)
        answered = answer_question(parse_question(question, vocabulary(records)), records)
        markdown, citations = words(answered, records)
        retrieved = records_text(answered, records)
        provider = provider or self.settings.effective_provider
        if not self.settings.trusted:
            provider = "builtin"
        result = p.AskAnswer(notebook_uri=doc.notebook_uri, question=question, intent=answered.intent.kind,  # type: ignore[arg-type]
                             answer=markdown, citations=citations, records=redact(retrieved)[0], provider="builtin")
        plan = AskPlan(answer=result, doc=doc, experiments={e.id for e in records.experiments}, records=retrieved)
        if provider != "builtin":
            plan.prompt = llm.build_prompt(question, retrieved)
            result.provider = provider
            result.prompt = plan.prompt.preview()
        return plan

    def ask_generate(self, plan: AskPlan, options: Optional[dict[str, Any]] = None) -> p.AskAnswer:
        """The LLM's answer, checked (no store access: may run on any thread). A failed provider leaves the
        built-in answer, with a warning saying why."""
        from ..render.answers import faithfulness_section

        result = plan.answer
        if plan.prompt is None:
            return result
        opts = dict(self.settings.provider_options)
        opts.update(options or {})
        try:
            reply = llm.complete(plan.prompt, result.provider, opts)
        except llm.ProviderError as failed:
            result.warnings.append(f"{result.provider} did not answer: {failed.message} The built-in answer is shown.")
            result.provider = "builtin"
            return result
        problems = llm.check(reply.text, plan.records, plan.doc, plan.experiments)
        result.sent, result.model, result.faithfulness = True, reply.model, problems
        result.warnings += reply.warnings
        if problems:
            result.warnings.append(f"Faithfulness check: {counted(len(problems), 'statement')} {'is' if len(problems) == 1 else 'are'} not backed by the records.")
        result.answer = reply.text.strip() + "\n\n" + faithfulness_section(problems)
        return result

    def ask(self, notebook: str, question: str, provider: Optional[str] = None, options: Optional[dict[str, Any]] = None,
            dry_run: bool = False) -> p.AskAnswer:
        plan = self.ask_plan(notebook, question, provider)
        if dry_run:
            return plan.answer
        return self.ask_generate(plan, options)


def _checked(thresholds: p.HypothesisThresholds) -> p.HypothesisThresholds:
    """Thresholds that mean something: a negative effect threshold made every difference decide (`--min-effect -5`
    turned a 0.7 % drop into "refutes")."""
    if thresholds.min_effect < 0 or (thresholds.min_abs_effect is not None and thresholds.min_abs_effect < 0):
        raise ValueError("--min-effect and --min-abs-effect must be 0 or more (a size of difference, either way)")
    if thresholds.min_evidence < 1:
        raise ValueError("--min-evidence must be 1 or more")
    return thresholds

