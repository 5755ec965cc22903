"""The timeline document from a stored case (issue 15): offered on the documents page but
not ticked, and drawn from her case — the steps she added on the timeline page included."""

from __future__ import annotations

import io
import re
import zipfile

from tests.documents.helpers import pdf_text
from tests.documents.test_web import _through_job
from tests.web.conftest import csrf_token


def _add_step(client, reference):
    page = client.get("/timeline").get_data(as_text=True)
    response = client.post("/timeline/events", data={
        "csrf_token": csrf_token(page), "type": "police_report", "on": "2025-05-06",
        "reference": reference, "note": ""})
    assert response.status_code == 303


def test_the_documents_page_offers_the_timeline_unticked(client, new_case):
    new_case()
    page = client.get("/documents/").get_data(as_text=True)
    box = re.search(r'<input[^>]*value="case_timeline"[^>]*>', page)
    assert box and "checked" not in box.group(0)
    assert "Timeline of the case" in page


def test_the_preview_draws_her_steps(client, new_case):
    new_case()
    _add_step(client, "Receipt 4711")
    preview = client.get("/documents/preview/zz/case_timeline?lang=en")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Chronology of the case" in html and "Receipt 4711" in html
    assert 'data-source="event"' in html and 'data-date="2025-05-06"' in html
    # The site allows no inline style: the preview's stylesheet draws the line.
    assert "td.chron-what" in client.get("/documents/preview.css").get_data(as_text=True)


def test_downloading_only_the_timeline_gives_its_pdf(client, new_case):
    new_case()
    _add_step(client, "Receipt 4711")
    page = client.get("/documents/").get_data(as_text=True)
    response = client.post("/documents/download", data={
        "csrf_token": csrf_token(page), "kinds": ["case_timeline"], "format": "pdf"})
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert "case_timeline-zz" in response.headers["Content-Disposition"]


def test_the_packet_made_by_the_job_carries_the_timeline_with_her_steps(app, client, new_case):
    new_case()
    _add_step(client, "Receipt 4711")
    page = client.get("/documents/").get_data(as_text=True)
    started = client.post("/documents/download", data={
        "csrf_token": csrf_token(page), "kinds": ["evidence_list", "case_timeline"],
        "format": "pdf"})
    made = _through_job(app, client, started)
    with zipfile.ZipFile(io.BytesIO(made.data)) as packet:
        names = [n for n in packet.namelist() if "case_timeline-zz" in n]
        assert names and all(n.endswith(".pdf") for n in names)
        text = pdf_text(packet.read(names[0]))
    assert "Receipt 4711" in text and "2025" in text
