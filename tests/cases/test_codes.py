import re

from caseprep.cases.codes import ALPHABET, generate_code, normalize_code


def test_generated_codes_are_grouped_and_unambiguous():
    code = generate_code()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert not set(code.replace("-", "")) & set("ILOU")
    assert set(code.replace("-", "")) <= set(ALPHABET)


def test_codes_are_random_not_sequential():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    # every position uses most of the alphabet: no counter or timestamp prefix
    for pos in (0, 5, 18):
        assert len({c[pos] for c in codes}) > 25


def test_typed_codes_are_accepted_loosely():
    code = generate_code()
    assert normalize_code(code) == code
    assert normalize_code(code.lower()) == code
    assert normalize_code(code.replace("-", "")) == code
    assert normalize_code(" " + code.replace("-", " ") + " ") == code


def test_lookalike_letters_map_to_digits():
    assert normalize_code("oO1i-L000-ABCD-EFGH") == "0011-1000-ABCD-EFGH"


def test_malformed_codes_are_refused():
    for bad in ["", "ABCD", "ABCD-EFGH-JKMN-PQRS-T", "ABCD-EFGH-JKMN-PQRU", "ÄBCD-EFGH-JKMN-PQRS",
                None, 12, "x" * 1000]:
        assert normalize_code(bad) is None
