"""Forms of the documents feature: choose and download, edit the free-text parts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in types-WTForms
from wtforms.validators import Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from caseprep.documents.case_documents import MAX_DETAIL_CHARS

KIND_LABELS = {
    "police_report": _l("Police report"),
    "civil_complaint": _l("Civil complaint"),
    "injunction_application": _l("Application for an injunction"),
    "pseudonym_motion": _l("Motion to proceed under a pseudonym"),
    "receipt_request": _l("Request to the police for a case receipt"),
    "reconsideration_application": _l("Application for reconsideration of a refusal to open "
                                      "a case"),
    "supervision_application": _l("Application to the procuratorate to supervise case opening"),
    "private_prosecution": _l("Private prosecution complaint"),
    "demand_letter": _l("Demand letter to the poster (for a lawyer to sign)"),
    "takedown_notice": _l("Takedown notices (one per platform)"),
    "evidence_checklist": _l("Evidence checklist"),
    "evidence_list": _l("Evidence list (with SHA-256 per file)"),
    "case_timeline": _l("Timeline of the case (dates, evidence per day, steps, time limits)"),
}
# Her details that may let the poster find or reach her (see exposure.PERSONAL_KEYS).
DETAIL_LABELS = {
    "victim.contact": _l("your phone or e-mail"),
    "victim.id_number": _l("your ID number"),
    "victim.address": _l("your address"),
}
FORMAT_LABELS = [SelectChoice("pdf", _l("PDF (to print and sign)")),
                 SelectChoice("docx", _l("Word (DOCX, to edit)")),
                 SelectChoice("pdf+docx", _l("Both PDF and Word"))]


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind, label) for kind, label in KIND_LABELS.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """At least one box ticked, checked on the server only.

    Not DataRequired: its `required` flag would be rendered on every checkbox of the group,
    and the browser would then refuse the form as soon as one box is unticked.
    """

    field_flags: dict = {}

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(_l("Choose at least one document."))


class DownloadForm(FlaskForm):
    kinds = MultiCheckboxField(_l("Documents"), validators=[AtLeastOne()])
    format = RadioField(_l("Format"), choices=FORMAT_LABELS, default="pdf")
    translation = BooleanField(_l("Also a version in my language (not for filing)"),
                               default=True)


class FileForm(FlaskForm):
    """One document of a preview, as PDF or Word (the preview's own download buttons)."""

    format = RadioField(choices=[SelectChoice("pdf", "PDF"), SelectChoice("docx", "DOCX")],
                        default="pdf")


class ContactChoiceForm(FlaskForm):
    """Her choice to be reached only through her lawyer or by e-mail (issue 11 item 8)."""

    via_lawyer_only = BooleanField(
        _l("Contact me only through my lawyer or by e-mail: leave my phone number, address and "
           "ID number out of documents the other side may see"))


def _text(label, max_chars=500):
    return StringField(label, validators=[Optional(), Length(max=max_chars)])


class DraftsForm(FlaskForm):
    """The parts of the drafts the person writes herself. Stored encrypted with the case."""

    narrative = TextAreaField(_l("What happened, in your words"),
                              validators=[Optional(), Length(max=MAX_DETAIL_CHARS)])
    claims_amount = _text(_l("Amount you claim (compensation)"), 100)
    victim_name = _text(_l("Your full name"))
    victim_id_number = _text(_l("Your ID number (for Chinese authorities)"), 64)
    victim_address = _text(_l("Your address"))
    victim_contact = _text(_l("Phone or email for replies"))
    perpetrator_name = _text(_l("Name of the person who did it, if known"))
    perpetrator_id_info = _text(_l("What else you know about them (gender, birth date, address)"))
    perpetrator_handles = _text(_l("Their accounts and IDs (comma-separated)"), 2000)
    court = _text(_l("Court, if you know which one"))

    FIELD_KEYS = {
        "narrative": "narrative", "claims_amount": "claims.amount",
        "victim_name": "victim.name", "victim_id_number": "victim.id_number",
        "victim_address": "victim.address", "victim_contact": "victim.contact",
        "perpetrator_name": "perpetrator.name", "perpetrator_id_info": "perpetrator.id_info",
        "perpetrator_handles": "perpetrator.handles", "court": "court",
    }

    def fill(self, drafts: dict) -> None:
        for field_name, key in self.FIELD_KEYS.items():
            if key in drafts and not self[field_name].data:
                self[field_name].data = drafts[key]

    def changes(self) -> dict:
        return {key: (self[name].data or "").strip() for name, key in self.FIELD_KEYS.items()}
