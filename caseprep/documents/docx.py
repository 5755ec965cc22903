"""DOCX for lawyers to edit, made from the very HTML the PDF is made from.

Walking our own rendered HTML (a small, known set of tags) instead of keeping a second
layout in python-docx guarantees the DOCX has the same headings and content as the PDF.
User text arrives already escaped in that HTML and leaves the parser as plain text, so it
stays literal. CJK runs get the w:eastAsia font, or Word would pick a font without glyphs.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from html import unescape
from html.parser import HTMLParser

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from caseprep.documents.fonts import choose_fonts
from caseprep.documents.model import Document

_PAPER_MM = {"A4": (210, 297), "letter": (215.9, 279.4)}
_SKIP = {"style", "title", "head", "script"}
_HEADING_STYLES = {"h1": "Title", "h2": "Heading1", "h3": "Heading2"}  # default template
_BLOCKS = {"h1", "h2", "h3", "p", "li", "div", "td", "th"}
_SPACE = re.compile(r"\s+")
_TAB_OR_BREAK = re.compile(r"[\t\r\n]")
# Characters XML 1.0 forbids (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F):
# pasted chat text can hold them, and python-docx refuses them. Shown as U+FFFD instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Builder(HTMLParser):
    """Turn the document HTML into python-docx paragraphs, lists and tables."""

    def __init__(self, docx, fonts):
        super().__init__(convert_charrefs=True)
        self.docx = docx
        self.fonts = fonts
        self.skip = 0
        self.classes: list[set[str]] = []  # class sets of open elements
        self.tags: list[str] = []
        self.para = None
        self.preserve = False
        self.lists: list[list] = []  # [kind, counter]
        self.table_rows: list[list[tuple[str, list]]] | None = None
        self.cell_runs: list | None = None
        self.header_row = False
        self.formats: dict[tuple, object] = {}  # run formats' <w:rPr>, see _styled_run

    # -- helpers -----------------------------------------------------------------------------
    def _in_class(self, name: str) -> bool:
        return any(name in classes for classes in self.classes)

    def _new_paragraph(self, tag: str):
        classes = self.classes[-1] if self.classes else set()
        para = self.docx.add_paragraph()
        if tag in _HEADING_STYLES:
            # The style's id, as add_heading() would find it by name (~1 ms a lookup).
            para._p.style = _HEADING_STYLES[tag]
            if tag == "h1":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = para.paragraph_format
        if "indent" in classes and self.fonts.cjk_family:
            fmt.first_line_indent = Pt(22)
        if tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            fmt.left_indent = Mm(7 * len(self.lists))
            fmt.first_line_indent = Mm(-5)
            marker = {"ol": f"{kind[1]}. ", "alpha": f"{chr(ord('a') + kind[1] - 1)}. "}
            self._run(marker.get(kind[0], "• "), para=para)
        if self._in_class("signature"):
            fmt.left_indent = Mm(80)
        if "banner" in classes:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.preserve = "narrative" in classes
        return para

    def _run(self, text: str, para=None):
        placeholder = self._in_class("placeholder")
        bold = (placeholder or self._in_class("name") or self._in_class("banner")
                or "strong" in self.tags or "th" in self.tags)
        size = 7 if self._in_class("hash") else 9 if (
            self._in_class("quote") or self._in_class("note") or self._in_class("meta")) else None
        return self._styled_run(para or self.para, text, bold=bold or None, size=size,
                                highlight=placeholder, red=self._in_class("banner"))

    def _styled_run(self, para, text: str, bold: bool | None = None, size: int | None = None,
                    highlight: bool = False, red: bool = False):
        """A run in our fonts with these formats. Each combination's <w:rPr> is built once
        per document and copied: python-docx takes ~0.1 ms a property."""
        run = para.add_run()
        if _TAB_OR_BREAK.search(text):
            run.text = text  # python-docx writes them as <w:tab/> and <w:br/>
        elif text:
            run._r.add_t(text)  # the same <w:t>, without python-docx's loop over characters
        key = (bold, size, highlight, red)
        if key in self.formats:
            run._r.insert(0, copy.deepcopy(self.formats[key]))
            return run
        set_run_fonts(run, self.fonts)
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if bold is not None:
            run.bold = bold
        if red:
            run.font.color.rgb = RGBColor(0xAA, 0, 0)
        if size:
            run.font.size = Pt(size)
        self.formats[key] = run._r.rPr
        return run

    # -- parser callbacks --------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        self.tags.append(tag)
        self.classes.append(set((dict(attrs).get("class") or "").split()))
        if tag in ("ol", "ul"):
            alpha = tag == "ol" and "alpha" in self.classes[-1]
            start = dict(attrs).get("start") or "1"  # a pleading numbers on across lists
            self.lists.append(["alpha" if alpha else tag, int(start) - 1 if start.isdigit() else 0])
        elif tag == "table":
            self.table_rows = []
        elif tag == "tr" and self.table_rows is not None:
            self.table_rows.append([])
        elif tag in ("td", "th") and self.table_rows is not None:
            self.cell_runs = []
            self.table_rows[-1].append((tag, self.cell_runs))
        elif tag == "br":
            if self.cell_runs is not None:
                self.cell_runs.append(("\n", False, False))
            elif self.para is not None:
                self.para.add_run().add_break()
            self.tags.pop()
            self.classes.pop()
        elif tag in _BLOCKS and self.table_rows is None:
            self.para = None
            if tag != "div":
                self.para = self._new_paragraph(tag)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or not self.tags:
            return
        # Pop to the matching tag (our HTML is well-formed; this guards against surprises).
        while self.tags:
            open_tag = self.tags.pop()
            self.classes.pop()
            if open_tag == tag:
                break
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        elif tag in ("td", "th"):
            self.cell_runs = None
        elif tag == "table" and self.table_rows is not None:
            self._write_table(self.table_rows)
            self.table_rows = None
        elif tag in _BLOCKS and self.table_rows is None:
            self.para = None
            self.preserve = False

    def handle_data(self, data):
        if self.skip:
            return
        data = _NOT_XML.sub("\ufffd", data)
        if self.cell_runs is not None:
            text = _SPACE.sub(" ", data)
            if text.strip() or (text and self.cell_runs):
                self.cell_runs.append((text, self._in_class("placeholder"), self._in_class("hash")))
            return
        if not self.preserve:
            data = _SPACE.sub(" ", data)
            if self.para is None and not data.strip():
                return
        if self.para is None:
            tag = self.tags[-1] if self.tags else "p"
            self.para = self._new_paragraph(tag if tag in _BLOCKS - {"div"} else "p")
            data = data.lstrip()
        if self.preserve and "\n" in data:
            lines = data.split("\n")
            for i, line in enumerate(lines):
                if i:
                    self.para.add_run().add_break()
                if line:
                    self._run(line)
            return
        if data:
            self._run(data)

    def _write_table(self, rows):
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        # Document.add_table() without its look-up of the style by name (see _blank).
        table = self.docx._body.add_table(0, width, self.docx._block_width)
        table._tbl.tblStyle_val = "TableGrid"
        blank = None  # python-docx builds every cell of a new row anew: copy an empty row
        for row in rows:
            if blank is None:
                tr = table.add_row()._tr
                blank = copy.deepcopy(tr)
            else:
                tr = copy.deepcopy(blank)
                table._tbl.append(tr)
            # Our tables have no merged cells, so a row's <w:tc> elements are its cells;
            # table.cell(r, c) and row.cells re-read the whole grid on every call (quadratic).
            cells = [_Cell(tc, table) for tc in tr.tc_lst]
            for cell, (tag, runs) in zip(cells, row, strict=False):
                para = cell.paragraphs[0]
                for text, placeholder, is_hash in runs:
                    if text == "\n":
                        para.add_run().add_break()
                        continue
                    self._styled_run(para, text.strip() if len(runs) == 1 else text,
                                     bold=tag == "th" or placeholder, size=7 if is_hash else 9,
                                     highlight=placeholder)
        self.para = None


# Fonts a typical Word has (the PDF embeds the server's own fonts instead): Times New Roman
# for Latin text; the East Asian font per language comes from documents/fonts.py (宋体/SimSun
# for Chinese). Word has no font fallback list in a document, so the names Word itself
# substitutes from are chosen (SimSun -> 宋体 on every Chinese Windows).
WORD_LATIN_FONT = "Times New Roman"
# The document language Word proofs and lays out with: w:lang w:val / w:eastAsia.
_WORD_LANG = {"zh_Hans": "zh-CN", "en": "en-US", "ko": "ko-KR"}


def set_run_fonts(run, fonts) -> None:
    """Latin and East Asian fonts on a run (w:rFonts w:ascii/hAnsi/eastAsia)."""
    run.font.name = WORD_LATIN_FONT
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), fonts.word_cjk_family)  # 宋体; 바탕 (Batang) for Korean


def _style_fonts(docx, fonts, lang: str = "en") -> None:
    word_lang = _WORD_LANG.get(lang, "en-US")
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = docx.styles[name]
        style.font.name = WORD_LATIN_FONT
        style.font.color.rgb = RGBColor(0, 0, 0)
        r_pr = style.element.get_or_add_rPr()
        r_fonts = r_pr.get_or_add_rFonts()
        r_fonts.set(qn("w:eastAsia"), fonts.word_cjk_family)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
            r_fonts.attrib.pop(qn(attr), None)
        language = r_pr.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            r_pr.append(language)
        language.set(qn("w:val"), word_lang)
        language.set(qn("w:eastAsia"), "ko-KR" if lang == "ko" else "zh-CN")
    docx.styles["Normal"].font.size = Pt(11)
    _plain_title(docx.styles["Title"])


def _plain_title(style) -> None:
    """A plain, centred, bold title: no theme colour, no rule under it, no spacing to fix."""
    p_pr = style.element.get_or_add_pPr()
    border = p_pr.find(qn("w:pBdr"))
    if border is not None:
        p_pr.remove(border)
    style.font.size = Pt(16)
    style.font.bold = True
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph, instruction: str, fonts) -> None:
    """A Word field (PAGE, NUMPAGES) so page numbers are computed by the word processor."""
    run = paragraph.add_run()
    set_run_fonts(run, fonts)
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _header_footer(docx, doc: Document, title: str, fonts) -> None:
    section = docx.sections[0]
    header = section.header.paragraphs[0]
    run = header.add_run(title if doc.for_filing else f"{title} — {doc.t('not_for_filing')}")
    set_run_fonts(run, fonts)
    run.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, rest = str(doc.t("docx_page_of")).partition("{page}")
    middle, _, after = rest.partition("{pages}")
    for text, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if text:
            set_run_fonts(footer.add_run(text), fonts)
        if field:
            _field(footer, field, fonts)


def render_docx(doc: Document, html: str) -> bytes:
    """DOCX bytes for `doc` from its rendered `html` (caseprep.documents.html.render_html)."""
    fonts = choose_fonts(doc.lang)
    docx = copy.deepcopy(_blank(doc.lang, doc.paper))
    docx.core_properties.title = _NOT_XML.sub("\ufffd", _title_of(html))
    docx.core_properties.language = _WORD_LANG.get(doc.lang, doc.lang.replace("_", "-"))
    _header_footer(docx, doc, _title_of(html), fonts)
    builder = _Builder(docx, fonts)
    builder.feed(html)
    builder.close()
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


@functools.cache
def _template(lang: str, paper: str) -> bytes:
    """An empty DOCX with our page and styles for `lang`, made once per process."""
    docx = new_docx()
    width, height = _PAPER_MM.get(paper, _PAPER_MM["A4"])
    section = docx.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    _style_fonts(docx, choose_fonts(lang), lang)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


@functools.cache
def _blank(lang: str, paper: str):
    """_template opened once: every document is a deep copy of it (5 ms, where opening and
    setting up python-docx's template took 11 ms). Never read or written, only copied:
    python-docx keeps proxies of inner elements (Document._body, ...) once they are used,
    and a deep copy would give such a proxy an element outside the copied document."""
    docx = new_docx(io.BytesIO(_template(lang, paper)))
    # Its styles.xml (350 KB, python-docx's every style) is the same in every document: a
    # plain part holding its bytes is neither deep-copied nor serialized again for each
    # (6 of ~20 ms a document). Nothing looks a style up after this: headings and tables
    # name their style's id.
    styles = docx.part.part_related_by(RT.STYLES)
    rel = next(rel for rel in docx.part.rels.values() if rel.reltype == RT.STYLES)
    docx.part.load_rel(RT.STYLES, Part(styles.partname, styles.content_type, styles.blob,
                                       styles.package), rel.rId)
    return docx


def _title_of(html: str) -> str:
    """The document's <title> (a captioned pleading has no <h1>)."""
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""
