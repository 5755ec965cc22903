"""The hand-off page: her passphrase again, then a file only the lawyer's key or the
one-time passphrase shown on the page opens."""

from __future__ import annotations

import io
import json
import re
import zipfile

from pyrage import decrypt, x25519
from pyrage import passphrase as age_passphrase

from tests.web.conftest import PASSPHRASE, csrf_token


def _form(client):
    page = client.get("/case/handoff").get_data(as_text=True)
    one_time = re.search(r'name="one_time" type="hidden" value="([^"]+)"', page).group(1)
    assert f'id="one-time">{one_time}<' in page
    return {"csrf_token": csrf_token(page), "one_time": one_time}


def _manifest(plain: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(plain)).read("bundle.json"))


def test_one_time_passphrase_shown_on_the_page_opens_the_file(client, new_case):
    new_case()
    form = _form(client)
    response = client.post("/case/handoff", data={**form, "lock": "passphrase",
                                                  "passphrase": PASSPHRASE})
    assert response.status_code == 200
    assert 'filename="case.age"' in response.headers["Content-Disposition"]
    manifest = _manifest(age_passphrase.decrypt(response.data, form["one_time"]))
    assert manifest["format"] == "caseprep-bundle" and manifest["jurisdictions"] == ["zz"]


def test_lawyers_key_locks_it(client, new_case):
    new_case()
    lawyer = x25519.Identity.generate()
    response = client.post("/case/handoff", data={
        **_form(client), "lock": "key", "recipient": str(lawyer.to_public()),
        "passphrase": PASSPHRASE})
    assert _manifest(decrypt(response.data, [lawyer]))["version"] == 1


def test_without_her_passphrase_nothing_leaves(client, new_case):
    new_case()
    response = client.post("/case/handoff", data={**_form(client), "lock": "passphrase",
                                                  "passphrase": "not it at all, sorry"})
    assert response.status_code == 403
    assert "does not open this case" in response.get_data(as_text=True)


def test_a_bad_key_is_refused_with_a_reason(client, new_case):
    new_case()
    response = client.post("/case/handoff", data={**_form(client), "lock": "key",
                                                  "recipient": "ssh-rsa AAAA",
                                                  "passphrase": PASSPHRASE})
    assert response.status_code == 422
    assert "A key starts with age1." in response.get_data(as_text=True)
