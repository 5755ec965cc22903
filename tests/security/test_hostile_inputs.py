"""Hostile rule files and Telegram exports: a clear error, no crash, bounded memory, no fetch.

The memory checks run the parser in a child process with an address-space limit, so a
regression shows as a failed test instead of the OOM killer taking the whole test run.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from caseprep.evidence.telegram import ExportError, iter_messages
from caseprep.paths import resource_dir
from caseprep.rules import validate_paths

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT_MB = 400


def _rules_folder(tmp_path: Path, name: str, text: str | bytes) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    shutil.copy(resource_dir("jurisdictions") / "facts.yaml", folder / "facts.yaml")
    target = folder / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return folder


HOSTILE_RULE_FILES = {
    "python_object": "code: xx\nname: !!python/object/apply:os.system ['touch {canary}']\n",
    "python_name": "code: !!python/name:os.system\n",
    "include_tag": "code: xx\nname: !include /etc/passwd\n",
    "billion_laughs": textwrap.dedent("""\
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        code: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    """),
    "deep_nesting": "code: " + "[" * 5000 + "]" * 5000 + "\n",
    "not_a_mapping": "- just\n- a list\n",
    "binary_tag": "code: !!binary aGVsbG8=\n",
    "condition_as_code": textwrap.dedent("""\
        code: xx
        routes:
          - id: r
            kind: criminal
            condition: "__import__('os').system('touch {canary}')"
    """),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_RULE_FILES))
def test_hostile_rule_file_gives_an_error_and_runs_nothing(tmp_path, kind):
    canary = tmp_path / "canary"
    folder = _rules_folder(tmp_path, "xx.yaml", HOSTILE_RULE_FILES[kind].format(canary=canary))
    found, errors = validate_paths([folder])
    assert "xx" not in found
    assert errors, "a hostile file must be reported"
    assert all(e.file == "xx.yaml" or "xx.yaml" in str(e) for e in errors)
    assert not canary.exists()
    assert "root:" not in " ".join(str(e) for e in errors)  # /etc/passwd was not read


def test_oversized_and_binary_rule_files_are_refused(tmp_path):
    folder = _rules_folder(tmp_path, "big.yaml", "code: big\n" + "# padding\n" * 300_000)
    (folder / "bin.yaml").write_bytes(b"\xff\xfe\x00code: x\n")
    found, errors = validate_paths([folder])
    text = " ".join(str(e) for e in errors)
    assert "larger than" in text and "UTF-8" in text
    assert not found.keys() & {"big", "bin"}


def test_rule_file_urls_are_never_fetched(tmp_path):
    """Citation and source URLs pointing at a local listener: loading and assessing fetch none."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    hits: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hits.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    shipped = resource_dir("jurisdictions")
    folder = tmp_path / "rules"
    shutil.copytree(shipped, folder)
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("https://", f"http://127.0.0.1:{port}/ssrf?u=https://")
        path.write_text(text, encoding="utf-8")
    try:
        found, errors = validate_paths([folder])
        from caseprep.rules import assess

        for jurisdiction in found.values():
            assess(jurisdiction, {"content.kinds": ["intimate_image"]})
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
    assert hits == []


def _export(data) -> io.BytesIO:
    return io.BytesIO(json.dumps(data).encode() if not isinstance(data, bytes) else data)


HOSTILE_EXPORTS = {
    "truncated": b'{"messages": [{"id": 1, "text": "a',
    "not_json": b"\xff\xfe<html>",
    "huge_number": b'{"messages": [{"id": 1e999}]}',
    "long_int": b'{"messages": [{"id": ' + b"9" * 5000 + b"}]}",
    "nan": b'{"messages": [{"id": NaN}]}',
    "deep_array": b'{"messages": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
    "deep_text": b'{"messages": [{"id": 1, "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}",
    "deep_map": b'{"messages": [{"id": 1, "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000
                + b"}]}",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_EXPORTS))
def test_hostile_export_gives_a_clear_error_in_bounded_memory(kind):
    """Run in a child with a memory ceiling: before the fix, deep_array needed > 20 GB."""
    code = textwrap.dedent(f"""
        import io, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT_MB} << 20, {MEMORY_LIMIT_MB} << 20))
        from caseprep.evidence.telegram import ExportError, iter_messages
        data = sys.stdin.buffer.read()
        try:
            n = sum(1 for _ in iter_messages(io.BytesIO(data)))
            print("ok", n)
        except ExportError as exc:
            print("ExportError", exc)
    """)
    result = subprocess.run([sys.executable, "-c", code], input=HOSTILE_EXPORTS[kind],
                            capture_output=True, timeout=60, cwd=ROOT)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert out.startswith(("ExportError", "ok ")), out
    if kind.startswith("deep"):
        assert "nested deeper" in out


def test_hostile_field_types_are_tolerated():
    data = {"name": {"x": 1}, "type": ["private_supergroup"], "id": {"a": []},
            "messages": [{"id": "7", "from": {"name": "x"}, "from_id": [1], "date": 5,
                          "text": {"type": "bold"}, "photo": 12, "file": None},
                         {"id": None}, "a string", 5, None]}
    messages = list(iter_messages(_export(data)))
    assert [m.message_id for m in messages] == [7]
    assert messages[0].media_missing is True


def test_export_path_traversal_is_contained(tmp_path):
    from caseprep.evidence.telegram import safe_media_path

    export = tmp_path / "export"
    export.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    for relative in ("../secret.txt", "/etc/passwd", "photos/../../secret.txt", "a\x00b"):
        assert safe_media_path(export, relative) is None


def test_export_error_is_a_value_error_with_a_message():
    with pytest.raises(ExportError, match="not valid JSON"):
        list(iter_messages(_export(b"{")))


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,<b>x",
                                 "file:///etc/passwd", 'https://x.org/"><script>'])
def test_rule_file_cannot_plant_a_non_web_link(tmp_path, url):
    shipped = resource_dir("jurisdictions")
    folder = tmp_path / "rules"
    shutil.copytree(shipped, folder)
    path = folder / "cn.yaml"
    text = path.read_text(encoding="utf-8")
    assert "url: https://" in text
    path.write_text(text.replace("url: https://", f"url: '{url}' #", 1), encoding="utf-8")
    found, errors = validate_paths([folder])
    assert "cn" not in found
    assert any("url" in str(e) for e in errors), errors
