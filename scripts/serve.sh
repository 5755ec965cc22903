#!/usr/bin/env bash
# Install caseprep into .venv (with the system packages it needs) and run `caseprep serve`
# on 127.0.0.1:5000 with SQLite and files under ./instance. Extra arguments go to serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e .
exec .venv/bin/caseprep serve "$@"
