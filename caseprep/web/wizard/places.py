"""Which law may apply: what the results page says when a chosen place is part of a country
(us-ca extends us). State and federal routes are listed side by side; where she and the person
who shared the images live is named, and venue and choice of law are left to a lawyer to
confirm rather than guessed.
"""

from __future__ import annotations

from caseprep.web.wizard import rules_access

PLACES_RECORD = "places"  # the places step's answers: lives_in, poster_in


def states_first(shown: list[dict]) -> list[dict]:
    """The assessments with every country after its states (us-ca, us-tx, then us), so state
    routes read side by side before the federal ones whatever order the places came in."""
    loaded = rules_access.jurisdictions()
    parents = {getattr(loaded.get(a["jurisdiction"]), "extends", None) for a in shown}
    return sorted(shown, key=lambda a: a["jurisdiction"] in parents)


def which_law(case, shown: list[dict], lang: str) -> dict | None:
    """Names for the note (where she lives, where the poster lives, the country), or None
    when no place shown has a parent (a country alone needs no note)."""
    loaded = rules_access.jurisdictions()
    states = [a["jurisdiction"] for a in shown
              if getattr(loaded.get(a["jurisdiction"]), "extends", None)]
    if not states:
        return None

    def name(code):
        jur = loaded.get(code)
        return rules_access.text(jur.name, lang) if jur is not None else None

    places = case.read_record(PLACES_RECORD) or {}
    home, poster = places.get("lives_in"), places.get("poster_in")
    return {"home": name(home), "other": name(poster) if poster != home else None,
            "country": name(loaded[states[0]].extends)}
