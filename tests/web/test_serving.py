"""Start-up preparation of a serving process: caches warmed, collector tuned for a server."""

from __future__ import annotations

import gc

import pytest

from caseprep import serving


@pytest.fixture
def restore_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_prepare_for_serving_warms_templates_and_freezes_startup_objects(app, restore_collector):
    gc.unfreeze()
    cache = app.jinja_env.cache
    assert cache is not None
    compiled_before = {name for _, name in cache}
    serving.prepare_for_serving(app)
    compiled = {name for _, name in cache}
    assert "wizard/section.html" in compiled and "base.html" in compiled
    assert "wizard/section.html" not in compiled_before
    assert gc.get_freeze_count() > 10_000  # the app's long-lived objects are out of the way
    assert gc.get_threshold()[0] == serving.YOUNG_THRESHOLD
    # The app still serves after it (nothing it needs was frozen in a broken state).
    assert app.test_client().get("/").status_code == 200


def test_serve_command_prepares_the_app_before_serving(monkeypatch, tmp_path, restore_collector):
    from click.testing import CliRunner

    from caseprep.cli import serve as serve_module

    calls = []
    monkeypatch.setattr(serving, "prepare_for_serving", lambda app: calls.append("prepare"))
    monkeypatch.setattr("waitress.serve", lambda app, **kw: calls.append("serve"))
    monkeypatch.setattr(serve_module, "_start_task_consumer", lambda app: None)
    monkeypatch.setenv("CASEPREP_ENV", "development")
    result = CliRunner().invoke(serve_module.serve, ["--instance", str(tmp_path / "inst")])
    assert result.exit_code == 0, result.output
    assert calls == ["prepare", "serve"]
