"""A packet rendered in worker processes is the packet rendered here, file for file."""

from __future__ import annotations

import datetime as dt
import os

from caseprep.documents import render_pool, service
from caseprep.rules import load_jurisdictions
from tests.documents.helpers import pdf_text

FACTS = {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
         "content.still_online": True, "distribution.platforms": ["telegram"],
         "evidence.images_count": 3}
EVIDENCE = [{"index": i, "kind": "image", "platform": "telegram",
             "reference": f"https://t.me/c/1/{i}", "sha256": f"{i:064x}"} for i in (1, 2, 3)]


def _double(value: int) -> int:
    return value * 2


def test_render_all_keeps_the_order_of_the_jobs_whatever_runs_first():
    jobs = [(n,) for n in range(7)]
    # The costliest job starts first; results still come back in the jobs' order.
    assert render_pool.render_all(_double, jobs, 2, cost=lambda job: job[0]) == [
        0, 2, 4, 6, 8, 10, 12]


def test_a_packet_from_two_processes_equals_the_packet_from_one():
    juris = load_jurisdictions()["cn"]
    args = (juris, FACTS, {"victim.name": "李某"}, EVIDENCE, ["police_report", "evidence_list"],
            ("pdf", "docx"), "en", dt.date(2026, 11, 25))
    here = service.generate(*args, workers=1)
    pooled = service.generate(*args, workers=2)
    assert [f.name for f in pooled] == [f.name for f in here]
    assert len(here) == 8  # 2 kinds x 2 languages x 2 formats
    for ours, theirs in zip(here, pooled, strict=True):
        if ours.name.endswith(".pdf"):
            assert pdf_text(theirs.data) == pdf_text(ours.data)
            assert "李某" in pdf_text(theirs.data) or ours.lang == "en"


def test_the_pool_is_sized_to_the_cores_this_process_may_use(monkeypatch):
    for cores, expected in ((1, 1), (2, 2), (3, 3), (64, render_pool.MAX_WORKERS)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, n=cores: set(range(n)))
        assert render_pool.default_workers() == expected


def test_warming_up_in_the_background_starts_workers_that_have_rendered():
    thread = render_pool.warm_up_in_background(2)
    thread.join(timeout=120)
    assert not thread.is_alive()
    warmed = render_pool._pool["executor"]
    assert warmed is not None and len(warmed._processes) == 2
    assert render_pool._executor(2) is warmed  # a packet then uses these very workers
