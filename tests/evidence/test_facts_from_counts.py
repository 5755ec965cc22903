"""The log's counts become facts in one place (caseprep.evidence.posted.facts_from_counts):
a stored case's derived facts and the documents of an evidence file name the facts the
catalog says (`derived_from`), not ids written into either caller."""

from __future__ import annotations

from types import SimpleNamespace

from caseprep.documents.service import with_log_counts
from caseprep.evidence.posted import facts_from_counts

CATALOG = SimpleNamespace(facts={
    "x.pictures": SimpleNamespace(derived_from="evidence.count:image"),
    "x.clips": SimpleNamespace(derived_from="evidence.count:video"),
    "x.posts": SimpleNamespace(derived_from="evidence.count:post"),
    "x.asked": SimpleNamespace(derived_from=None),
})
LOG = [{"kind": "screenshot", "images_shown": 3}, {"kind": "video"},
       {"kind": "image", "role": "reference"}]


def test_counts_map_to_the_catalogs_facts():
    assert facts_from_counts({"image": 5, "video": 0, "post": 2, "total": 9}, CATALOG) == {
        "x.pictures": 5, "x.clips": 0, "x.posts": 2}
    assert facts_from_counts({"image": "5"}, CATALOG) == {}  # only whole numbers count


def test_documents_take_the_same_facts_from_an_evidence_file():
    facts = with_log_counts({"x.pictures": 99, "x.asked": True}, LOG, CATALOG)
    assert facts == {"x.pictures": 3, "x.clips": 1, "x.asked": True}
    assert with_log_counts({"x.pictures": 99}, [], CATALOG) == {"x.pictures": 99}
