"""Issue 13, item 9: a right-to-left override in a sender's name (from a hostile chat export)
cannot reverse the text around it on the import summary: every name is isolated in <bdi>."""

from __future__ import annotations

from flask import render_template

from caseprep.evidence import imports

RLO = "\u202e"


def test_names_from_an_export_are_isolated(app):
    evil = f"{RLO}gpj.exe"
    summary = {"messages": 1, "media": {"photo": 1}, "missing_media": 0, "duplicates": [],
               "by_sender": [{"sender": evil, "sender_id": f"user{RLO}1", "messages": 1,
                              "photos": 1, "videos": 0}],
               "matches": [{"reference": f"me{RLO}.jpg", "message_id": 7, "sender": evil,
                            "sender_id": "user1", "date": "2024-06-01T10:00:00"}]}
    job = {"id": "x" * 32, "status": "done", "stage": "done", "progress": 1000,
           "error_code": None, "summary": summary, "created_at": "2024-06-01T10:00:00"}
    with app.test_request_context("/evidence/import/x"):
        html = render_template("evidence/import_status.html", job=job, stages=imports.STAGES,
                               errors=imports.ERRORS)
    assert html.count(RLO) == 4
    for text in (evil, f"user{RLO}1", f"me{RLO}.jpg"):
        assert f"<bdi>{text}</bdi>" in html
    assert html.count(f"<bdi>{evil}</bdi>") == 2  # the sender list and the match line
