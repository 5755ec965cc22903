"""Jurisdiction codes: the name of a rule file (`<code>.yaml`) and how cases refer to it.

A code is lower case: a country's ISO 3166-1 code (`cn`, `us`), optionally followed by a
hyphen and a part of it (`gb-eng`, `us-ca`, as in ISO 3166-2). An underscore works like the
hyphen, for the test folders that name a file after what it tests (`xx_bad_duration`).
"""

from __future__ import annotations

import re

JURISDICTION_CODE = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]+)*$")
CODE_IN_WORDS = ("2 or 3 lower-case letters for the country (cn, us), optionally followed by "
                 "a hyphen and the region in lower-case letters or digits (gb-eng, us-ca)")


def code_problem(code: str) -> str | None:
    """What is wrong with `code` as a jurisdiction code, in words; None when it is right."""
    if JURISDICTION_CODE.match(code):
        return None
    return f"{code!r} is not a jurisdiction code: write {CODE_IN_WORDS}"
