"""The case service against a real database (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from sqlalchemy import select, update

from caseprep.cases import crypto, service
from caseprep.cases.errors import CaseCorrupted, CaseNotFound, InvalidCredentials
from caseprep.cases.models import Case, CaseRecord
from caseprep.cases.opened import WeakPassphrase
from caseprep.rules import FactValueError

PASS = "tulip tower 42 blue"


@pytest.fixture
def opened(db, settings):
    return service.create_case(db, settings, PASS, ["cn", "us-ca"], "zh_Hans")


def test_create_and_reopen(db, sessions, settings, opened):
    assert opened.jurisdictions == ["cn", "us-ca"] and opened.locale == "zh_Hans"
    assert opened.facts() == {}
    again = service.open_case(sessions(), settings, opened.code.lower().replace("-", ""), PASS)
    assert again.code == opened.code and again.data_key == opened.data_key
    assert again.jurisdictions == ["cn", "us-ca"] and again.locale == "zh_Hans"


def test_plain_columns_hold_no_content(db, opened):
    case = db.scalars(select(Case)).one()
    assert opened.data_key not in case.wrapped_key
    names = sorted(db.scalars(select(CaseRecord.name)))
    assert names == ["facts", "meta"]
    for rec in db.scalars(select(CaseRecord)):
        # '"cn"' (JSON-quoted), not 'cn': two random ciphertext bytes are "cn" once in ~65,000.
        assert b'"cn"' not in rec.ciphertext and b"zh_Hans" not in rec.ciphertext


def test_wrong_passphrase_and_unknown_code_fail_alike(db, settings, opened, monkeypatch):
    calls = []
    real = crypto.derive_kek
    monkeypatch.setattr(crypto, "derive_kek", lambda *a: calls.append(a[2]) or real(*a))
    with pytest.raises(InvalidCredentials) as wrong_pass:
        service.open_case(db, settings, opened.code, "not the passphrase")
    with pytest.raises(InvalidCredentials) as wrong_code:
        service.open_case(db, settings, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", PASS)
    with pytest.raises(InvalidCredentials):
        service.open_case(db, settings, "garbage", PASS)
    assert str(wrong_pass.value) == str(wrong_code.value)
    # the same scrypt work on every path, whether or not the code exists
    assert calls == [crypto.KdfParams.from_settings(settings)] * 3


def test_weak_passphrase_refused(db, settings):
    with pytest.raises(WeakPassphrase):
        service.create_case(db, settings, "short", ["cn"], "en")


def test_bad_jurisdiction_or_locale_refused(db, settings):
    with pytest.raises(ValueError):
        service.create_case(db, settings, PASS, [], "en")
    with pytest.raises(ValueError):
        service.create_case(db, settings, PASS, ["../etc"], "en")
    with pytest.raises(ValueError):
        service.create_case(db, settings, PASS, ["cn"], "en; DROP")


def test_update_facts_validates_merges_and_unsets(opened, catalog):
    facts = opened.update_facts({"evidence.images_count": "34", "victim.is_minor": False,
                                 "incident.first_known": "2026-03-01",
                                 "content.kinds": ["everyday_photo"]}, catalog)
    assert facts == {"evidence.images_count": 34, "victim.is_minor": False,
                     "incident.first_known": dt.date(2026, 3, 1),
                     "content.kinds": ["everyday_photo"]}
    facts = opened.update_facts({"victim.is_minor": None, "incident.narrative": "hi"}, catalog)
    assert "victim.is_minor" not in facts and facts["evidence.images_count"] == 34
    assert opened.facts() == facts


@pytest.mark.parametrize("changes, fact", [
    ({"no.such_fact": 1}, "no.such_fact"),
    ({"no.such_fact": None}, "no.such_fact"),
    ({"evidence.images_count": "many"}, "evidence.images_count"),
    ({"content.kinds": ["nope"]}, "content.kinds"),
    ({"incident.first_known": "yesterday"}, "incident.first_known"),
])
def test_bad_facts_name_the_fact_and_save_nothing(opened, changes, fact, catalog):
    opened.update_facts({"evidence.images_count": 3}, catalog)
    with pytest.raises(FactValueError) as err:
        opened.update_facts({"victim.is_minor": True, **changes}, catalog)
    assert err.value.fact_id == fact
    assert opened.facts() == {"evidence.images_count": 3}


def test_records_round_trip(opened, sessions):
    opened.write_record("document_drafts", {"police_report": {"text": "草稿"}})
    other = service.load_case(sessions(), opened.code, opened.data_key)
    assert other.read_record("document_drafts") == {"police_report": {"text": "草稿"}}
    assert other.read_record("missing") is None
    with pytest.raises(ValueError):
        opened.write_record("facts", {})


def test_set_jurisdictions_and_locale(opened, sessions):
    opened.set_jurisdictions(["us-ca"])
    opened.set_locale("en")
    again = service.load_case(sessions(), opened.code, opened.data_key)
    assert again.jurisdictions == ["us-ca"] and again.locale == "en"


def test_load_case_with_wrong_key_or_gone_case(opened, sessions):
    with pytest.raises(CaseCorrupted):
        service.load_case(sessions(), opened.code, crypto.new_data_key())
    with pytest.raises(CaseNotFound):
        service.load_case(sessions(), "ZZZZ-ZZZZ-ZZZZ-ZZZZ", opened.data_key)


def test_change_passphrase_rewraps_without_reencrypting(db, sessions, settings, opened, catalog):
    opened.update_facts({"incident.narrative": "keep me"}, catalog)
    before = {r.name: bytes(r.ciphertext) for r in sessions().scalars(select(CaseRecord))}
    with pytest.raises(InvalidCredentials):
        opened.change_passphrase("wrong one!", "new passphrase 9")
    opened.change_passphrase(PASS, "new passphrase 9")
    after = {r.name: bytes(r.ciphertext) for r in sessions().scalars(select(CaseRecord))}
    assert before == after
    with pytest.raises(InvalidCredentials):
        service.open_case(sessions(), settings, opened.code, PASS)
    again = service.open_case(sessions(), settings, opened.code, "new passphrase 9")
    assert again.facts() == {"incident.narrative": "keep me"}


def test_tampered_record_is_an_authentication_error(db, sessions, opened, catalog):
    opened.update_facts({"incident.narrative": "secret"}, catalog)
    rec = db.scalars(select(CaseRecord).where(CaseRecord.name == "facts")).one()
    flipped = bytearray(rec.ciphertext)
    flipped[5] ^= 0x40
    db.execute(update(CaseRecord).where(CaseRecord.id == rec.id).values(ciphertext=bytes(flipped)))
    db.commit()
    with pytest.raises(CaseCorrupted):
        service.load_case(sessions(), opened.code, opened.data_key).facts()


def test_tampered_wrapped_key_is_an_authentication_error(db, sessions, settings, opened):
    case = db.scalars(select(Case)).one()
    flipped = bytearray(case.wrapped_key)
    flipped[-1] ^= 0x01
    db.execute(update(Case).where(Case.id == case.id).values(wrapped_key=bytes(flipped)))
    db.commit()
    with pytest.raises(InvalidCredentials):
        service.open_case(sessions(), settings, opened.code, PASS)


def test_record_swapped_between_cases_fails(db, sessions, settings, opened, catalog):
    other = service.create_case(db, settings, PASS, ["cn"], "en")
    other.update_facts({"incident.narrative": "from the other case"}, catalog)
    src = db.scalars(select(CaseRecord).where(CaseRecord.case_id == other.case_id,
                                              CaseRecord.name == "facts")).one()
    db.execute(update(CaseRecord).where(CaseRecord.case_id == opened.case_id,
                                        CaseRecord.name == "facts")
               .values(nonce=src.nonce, ciphertext=src.ciphertext))
    db.commit()
    with pytest.raises(CaseCorrupted):
        service.load_case(sessions(), opened.code, opened.data_key).facts()


def test_delete_is_complete(db, sessions, settings, opened, catalog):
    other = service.create_case(db, settings, PASS, ["cn"], "en")
    opened.update_facts({"incident.narrative": "gone soon"}, catalog)
    opened.delete()
    check = sessions()
    assert check.scalars(select(Case.code)).all() == [other.code]
    assert {r.case_id for r in check.scalars(select(CaseRecord))} == {other.case_id}
    with pytest.raises(InvalidCredentials):
        service.open_case(check, settings, opened.code, PASS)
    with pytest.raises(CaseNotFound):
        service.load_case(check, opened.code, opened.data_key)


def test_visit_moves_expiry(db, sessions, settings, opened):
    case = db.scalars(select(Case)).one()
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    db.execute(update(Case).where(Case.id == case.id).values(
        last_seen_at=old, expires_at=old + dt.timedelta(days=30)))
    db.commit()
    service.load_case(sessions(), opened.code, opened.data_key)
    fresh = sessions().get(Case, case.id)
    assert fresh.last_seen_at > old + dt.timedelta(days=9)
    assert abs((fresh.expires_at - fresh.last_seen_at) - dt.timedelta(days=30)) < dt.timedelta(
        seconds=1)
    assert fresh.expires_at.tzinfo is not None
