"""The WSGI entry point for servers other than `caseprep serve`: `caseprep.wsgi:app`.

    gunicorn --workers 2 --threads 8 --preload --bind 127.0.0.1:5000 caseprep.wsgi:app

Importing this module builds the app from the environment (CASEPREP_*), which is what a
WSGI server expects of it, and prepares it for serving as `caseprep serve` does. Background
tasks do not run here: start `caseprep worker` beside it (docs/deployment.md); the worker
also removes stored files an interrupted write left behind, as `caseprep serve` does.
"""

from __future__ import annotations

from caseprep import create_app
from caseprep.serving import prepare_for_serving

app = create_app()
prepare_for_serving(app)
# A server that forks after import (gunicorn --preload) must not hand the pooled database
# connections opened above to its workers: close them; each worker opens its own.
app.extensions["caseprep.engine"].dispose()
