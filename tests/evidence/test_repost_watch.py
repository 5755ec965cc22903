"""Re-post watch (issue 15): a newer export of the same chat adds only what is new, her photos
are watched for in every later import without being uploaded again, and a picture that is only
possibly hers is kept apart and never counted."""

from __future__ import annotations

import io
import shutil
import zipfile

from caseprep.db import make_engine, make_session_factory
from caseprep.evidence import imports, matching, posted, service, synthetic
from tests.evidence import telegram_export as tx

SECRET = "s" * 48


def _export(tmp_path, plan, name) -> bytes:
    """A zipped export of chat 555: (message id, reference seed or other seed, transform)."""
    root = tmp_path / name / "ChatExport_2025-06-01"
    (root / "photos").mkdir(parents=True)
    messages = []
    for mid, seed, transform in plan:
        img = synthetic.scene(seed, size=(300, 400))
        if transform:
            img = synthetic.transform(img, transform, seed)
        rel = f"photos/photo_{mid}@01-06-2025_10-00-00.jpg"
        (root / rel).write_bytes(synthetic.jpeg_bytes(img))
        messages.append(tx.message(mid, sender="name poster", sender_id="user7", photo=rel,
                                   text=""))
    tx.write_single_chat(root, messages, chat_id=555)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in sorted(root.rglob("*")):
            z.write(path, path.relative_to(root.parent).as_posix())
    shutil.rmtree(root.parent)
    return buf.getvalue()


def _run(db, db_url, case, store, settings, export: bytes, references=()):
    import_id, token = imports.start_import(db, case, store, SECRET, io.BytesIO(export),
                                            "export.zip", list(references))
    engine = make_engine(db_url)
    try:
        assert imports.run_import(make_session_factory(engine), store, SECRET, token,
                                  settings.instance_path / "work", workers=1) == "ready"
    finally:
        engine.dispose()
    return imports.get_import(db, case, import_id, store)["summary"]


def _reposts(db, case):
    return [i for i in service.list_items(db, case) if posted.role_of(i) == "publication"]


FIRST = [(1, 1, "resized"), (2, 1, "mirrored"), (3, 50, None)]
# The same chat a month later: the three old messages and five new re-posts of her photo.
LATER = [*FIRST, (4, 1, "resized"), (5, 1, "mirrored"), (6, 1, "recompressed"),
         (7, 1, "resized"), (8, 1, "mirrored"), (9, 51, None)]


def test_a_newer_export_adds_exactly_the_new_reposts(db, db_url, case, store, settings,
                                                      tmp_path):
    me = ("me.jpg", io.BytesIO(synthetic.jpeg_bytes(synthetic.scene(1, size=(300, 400)))))
    first = _run(db, db_url, case, store, settings, _export(tmp_path, FIRST, "a"), [me])
    assert sorted(m["message_id"] for m in first["matches"]) == [1, 2]
    assert len(_reposts(db, case)) == 2
    # No photo uploaded this time: the watch list (her photo, kept encrypted) is used.
    later = _run(db, db_url, case, store, settings, _export(tmp_path, LATER, "b"))
    reposts = [m for m in later["matches"] if m["answer"] == matching.MATCH]
    assert sorted(m["message_id"] for m in reposts) == [1, 2, 4, 5, 6, 7, 8]
    assert sorted(m["message_id"] for m in reposts if not m["known"]) == [4, 5, 6, 7, 8]
    assert sorted(i.get("telegram")["message_id"] for i in _reposts(db, case)) == \
        [1, 2, 4, 5, 6, 7, 8]
    # Her photo is on the watch list once, and never counted as posted.
    references = [i for i in service.list_items(db, case) if i.get("role") == "reference"]
    assert len(references) == 1
    assert posted.posted_counts(service.list_items(db, case)).images == 7


def test_possibly_hers_is_kept_apart_and_never_counted():
    """A picture the matcher calls possible is staged with role "possible"; counts skip it."""
    kept = {"kind": "image", "role": "possible"}
    counted = {"kind": "image"}
    assert posted.posted_counts([kept, counted]).images == 1
    assert posted.role_of(kept) == "possible"
