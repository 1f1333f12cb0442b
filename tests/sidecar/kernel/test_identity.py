"""Which kernels may be touched for a notebook: the pure rules and the record of ties (kernel/identity.py)."""

from __future__ import annotations

from trackit_sidecar.kernel import identity
from trackit_sidecar.kernel.identity import KernelTies, Tie

NB, OTHER = "/work/analysis.ipynb", "/work/other.ipynb"


def test_only_announced_or_editor_kernels_are_contacted_at_all():
    assert identity.may_contact(under_editor=True, announced_for=None)
    assert identity.may_contact(under_editor=False, announced_for=NB)
    # another program's, another user's or another window's kernel: not even a silent question
    assert not identity.may_contact(under_editor=False, announced_for=None)


def test_evidence_announcement_decides_both_ways():
    assert identity.evidence_for(NB, announced_for=NB, under_editor=False, stated_notebook=None) == "announced"
    # announced for another notebook: never this one's, whatever the kernel says about itself
    assert identity.evidence_for(NB, announced_for=OTHER, under_editor=True, stated_notebook=NB) is None


def test_evidence_by_the_kernels_own_statement_needs_the_editor():
    assert identity.evidence_for(NB, None, under_editor=True, stated_notebook=NB) == "notebook_file"
    assert identity.evidence_for(NB, None, under_editor=True, stated_notebook=OTHER) is None
    assert identity.evidence_for(NB, None, under_editor=True, stated_notebook=None) is None
    # a kernel outside the editor naming the notebook (another window with the same file open) is not ours
    assert identity.evidence_for(NB, None, under_editor=False, stated_notebook=NB) is None


def test_new_kernels_get_the_probe_only_for_recorded_notebooks():
    recorded = {NB}
    assert identity.may_probe_new_kernel(NB, False, None, set()) == (NB, "announced")
    assert identity.may_probe_new_kernel(None, True, NB, recorded) == (NB, "notebook_file")
    # an open notebook TrackIT does not record (excluded, paused, never run): its kernel is left alone
    assert identity.may_probe_new_kernel(None, True, OTHER, recorded) is None
    assert identity.may_probe_new_kernel(None, True, None, recorded) is None
    assert identity.may_probe_new_kernel(None, False, NB, recorded) is None


def test_notebook_key_is_the_stores_key(tmp_path):
    path = tmp_path / "My NB.ipynb"
    assert identity.notebook_key(str(path)) == str(path.resolve())
    assert identity.notebook_key(None, path.as_uri()) == str(path.resolve())
    assert identity.notebook_key(None, "untitled:Untitled-1.ipynb") == "untitled:Untitled-1.ipynb"
    assert identity.notebook_key(None, None) is None


def test_ties_follow_announcements_and_kernel_ids(tmp_path):
    ties = KernelTies()
    a, b = str(tmp_path / "kernel-a.json"), str(tmp_path / "kernel-b.json")
    assert ties.tie_for(NB) is None and not ties.has_announcements(NB)
    ties.announce(NB, a, kernel_id="ka")
    assert ties.tie_for(NB) == Tie(NB, a, "announced", "ka")
    assert ties.announced_for(a) == NB and ties.recorded() == {NB}
    ties.announce(NB, b, kernel_id="kb")  # the notebook switched kernels: the latest wins
    assert ties.tie_for(NB).connection_file == b
    # an event that says which kernel ran it is read from that kernel only
    assert ties.tie_for(NB, kernel_id="ka").connection_file == a
    assert ties.tie_for(NB, kernel_id="unknown") is None
    # the same connection file announced for another notebook leaves the first one
    ties.announce(OTHER, a, kernel_id="ka")
    assert ties.announced_for(a) == OTHER
    assert ties.tie_for(NB, kernel_id="ka") is None


def test_ties_found_by_statement_yield_to_announcements(tmp_path):
    ties = KernelTies()
    found = Tie(NB, str(tmp_path / "vsc.json"), "notebook_file")
    ties.remember(found)
    assert ties.tie_for(NB) == found
    ties.forget_found(NB)
    assert ties.tie_for(NB) is None
    ties.remember(found)
    ties.announce(NB, str(tmp_path / "kernel-a.json"))
    assert ties.tie_for(NB).evidence == "announced"
    ties.remember(found)  # an announced notebook is not re-tied by a statement
    assert ties.tie_for(NB).evidence == "announced"
