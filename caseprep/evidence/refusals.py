"""Why an upload or an import was refused, as codes with messages marked for translation.

The services import nothing from Flask, so messages are marked with N_ (extracted by Babel,
translated where they are shown: `_(refusal.message, **refusal.params)` in the web and API).
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - Babel's standard marker name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


MESSAGES = {
    "empty": N_("The file is empty."),
    "too_large": N_("The file is larger than the limit of %(limit)s."),
    "case_full": N_("This case has reached its storage limit of %(limit)s."),
    "bad_name": N_("The file name is not allowed (no folders, control characters or hidden "
                   "names); rename the file and try again."),
    "unknown_type": N_("This type of file is not accepted. Accepted: photos (JPEG, PNG, GIF, "
                       "WebP, HEIC), videos (MP4, MOV, WebM), PDF and plain text."),
    "type_mismatch": N_("The file's content is %(detected)s but its name ends in .%(ext)s; "
                        "the file may be damaged or disguised."),
    "polyglot": N_("The file contains a second file of another type hidden inside it."),
    "malformed_image": N_("The image is damaged or incomplete and cannot be read."),
    "image_too_big": N_("The image has too many pixels (more than %(limit)s million); it may be "
                        "a decompression bomb."),
    "not_stored": N_("The file could not be stored; nothing was kept. Please try again."),
    "busy": N_("The server is busy reading other large images. Nothing was kept; please try "
               "again in a minute."),
}


class UploadRefused(ValueError):
    """An upload was refused; nothing of it was kept. `code` selects the message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        """The untranslated message template (translate with the params)."""
        return MESSAGES[self.code]

    def english(self) -> str:
        return self.message % self.params if self.params else self.message


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)
