"""WeasyPrint loads only caseprep's own assets: URLs and paths in user text fetch nothing and
attach nothing; Chinese text gets an embedded CJK font; no silent fontTools fallback."""

from __future__ import annotations

import logging
import socket
import threading

import pytest

from caseprep.documents import fetcher as fetcher_module
from caseprep.documents import fonts, html, model
from caseprep.documents.docx import render_docx
from caseprep.documents.fetcher import AssetOnlyFetcher, RefusedFetchError
from caseprep.documents.pdf import render_pdf
from tests.documents import sample_data as sd
from tests.documents.helpers import docx_text, pdf_fonts, pdf_text, squash


class Listener:
    """A TCP listener on loopback that records every connection it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def spy(monkeypatch):
    """Record every fetcher the PDF renderer creates, to read what each was asked."""
    made: list[AssetOnlyFetcher] = []
    real = fetcher_module.AssetOnlyFetcher

    class Spy(real):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr("caseprep.documents.pdf.AssetOnlyFetcher", Spy)
    return made


def _hostile(port: int) -> str:
    return (
        f'<img src="http://127.0.0.1:{port}/x"> file:///etc/passwd '
        f'<link rel=attachment href="file:///etc/passwd"> '
        f'<a rel="attachment" href="http://127.0.0.1:{port}/a">a</a> '
        f'<object data="http://127.0.0.1:{port}/o"></object> '
        f'<style>@import url(http://127.0.0.1:{port}/c.css);</style> '
        f'<iframe src="data:text/html,hi"></iframe>'
    )


@pytest.mark.parametrize("kind", ["police_report", "civil_complaint", "evidence_list"])
def test_urls_and_paths_in_user_text_cause_no_fetch_and_no_attachment(kind, listener, spy):
    hostile = _hostile(listener.port)
    details = dict(sd.DETAILS, narrative=hostile, **{"victim.name": hostile})
    evidence = [dict(sd.EVIDENCE[0], reference=hostile, notes=hostile)]
    doc = model.build(kind, sd.cn_assessment(), sd.FACTS, evidence, None, details)
    markup = html.render_html(doc)
    pdf = render_pdf(markup)
    assert listener.connections == 0
    assert spy and all(f.refused == [] and f.served == [] for f in spy)
    assert b"/EmbeddedFile" not in pdf and b"/Filespec" not in pdf
    assert "root:x:0:0" not in pdf_text(pdf)
    assert squash("file:///etc/passwd") in squash(pdf_text(pdf))  # shown, as text
    assert "file:///etc/passwd" in docx_text(render_docx(doc, markup))


def test_the_fetcher_itself_refuses_network_files_and_data_urls(listener):
    """Second wall: even markup (not user text) naming a resource is refused, loudly."""
    for url in (f"http://127.0.0.1:{listener.port}/x", "file:///etc/passwd",
                "data:image/png;base64,iVBORw0KGgo=", "caseprep-asset:../pdf.py"):
        fetch = AssetOnlyFetcher()
        with pytest.raises(RefusedFetchError):
            render_pdf(f'<p>x</p><img src="{url}">', fetcher=fetch)
        assert fetch.refused == [url]
    assert listener.connections == 0


def test_pdf_embeds_a_cjk_font_for_chinese_text():
    doc = model.build("police_report", sd.cn_assessment(), sd.FACTS, sd.EVIDENCE, None,
                      sd.DETAILS)
    pdf = render_pdf(html.render_html(doc))
    embedded = [line for line in pdf_fonts(pdf).splitlines() if "CJK" in line]
    assert embedded, "no CJK font embedded"
    assert all(" yes " in line for line in embedded)
    assert "控告书" in pdf_text(pdf)  # real glyphs with a Unicode map, not boxes


def test_a_chinese_pdf_embeds_one_cjk_face():
    """Each weight of a CJK font is another 20-30 MB file to load and subset per PDF
    (issue 11, speed): headings, labels and placeholders use the regular face."""
    doc = model.build("evidence_list", sd.cn_assessment(), sd.FACTS, sd.EVIDENCE, None,
                      sd.DETAILS)
    markup = html.render_html(doc)
    assert "<h1>" in markup and "<th" in markup and 'class="name"' in markup
    embedded = [line.split()[0] for line in pdf_fonts(render_pdf(markup)).splitlines()
                if "CJK" in line]
    assert len(embedded) == 1 and not embedded[0].endswith("Bold"), embedded


def test_docx_sets_the_east_asian_font_on_runs():
    doc = model.build("police_report", sd.cn_assessment(), sd.FACTS, sd.EVIDENCE, None,
                      sd.DETAILS)
    from tests.documents.helpers import docx_xml

    data = render_docx(doc, html.render_html(doc))
    xml = docx_xml(data)
    # Fonts a typical Word has: 宋体/SimSun for Chinese, Times New Roman for Latin.
    assert 'w:eastAsia="SimSun"' in xml and 'w:ascii="Times New Roman"' in xml
    import io
    import zipfile

    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:val="zh-CN"' in styles  # the document language
    assert fonts.choose_fonts("zh_Hans").cjk_family  # the PDF still embeds a real CJK font


def test_no_fonttools_fallback_when_subsetting_cjk(caplog):
    """WeasyPrint warns (naming fontTools) when libharfbuzz-subset0 is missing: 10x slower."""
    doc = model.build("civil_complaint", sd.cn_assessment(), sd.FACTS, sd.EVIDENCE, None,
                      sd.DETAILS)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        render_pdf(html.render_html(doc))
    fallbacks = [r.getMessage() for r in caplog.records if "fonttools" in r.getMessage().lower()]
    assert fallbacks == []
    warnings = [r.getMessage() for r in caplog.records
                if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert warnings == []


def test_missing_cjk_font_fails_loudly(monkeypatch):
    monkeypatch.setattr(fonts, "installed_families", lambda lang: frozenset({"DejaVu Serif"}))
    with pytest.raises(fonts.MissingFontError, match="fonts-noto-cjk"):
        fonts.choose_fonts("zh_Hans")
    doc = model.build("police_report", sd.cn_assessment(), sd.FACTS, [], None, sd.DETAILS)
    with pytest.raises(fonts.MissingFontError):
        html.render_html(doc)
    assert fonts.choose_fonts("en").cjk_family is None  # Latin documents do not need one


def test_english_document_with_a_chinese_name_still_gets_cjk_glyphs():
    doc = model.build("police_report", sd.us_assessment(), sd.FACTS, sd.EVIDENCE, None,
                      dict(sd.DETAILS, **{"victim.name": "王小明"}))
    pdf = render_pdf(html.render_html(doc))
    assert "王小明" in pdf_text(pdf)
    assert any("CJK" in line for line in pdf_fonts(pdf).splitlines())


def test_the_fetcher_serves_own_assets_and_nothing_beside_them(tmp_path, monkeypatch):
    from PIL import Image

    assets = tmp_path / "assets"
    assets.mkdir()
    Image.new("RGB", (4, 4), "red").save(assets / "seal.png")
    (tmp_path / "secret.txt").write_text("SECRET")
    monkeypatch.setattr(fetcher_module, "ASSETS_DIR", assets)
    fetch = AssetOnlyFetcher()
    pdf = render_pdf('<p>x</p><img src="caseprep-asset:seal.png">', fetcher=fetch)
    assert fetch.served == ["seal.png"] and pdf.startswith(b"%PDF")
    with pytest.raises(RefusedFetchError):
        render_pdf('<img src="caseprep-asset:../secret.txt">', fetcher=AssetOnlyFetcher())
