#!/usr/bin/env bash
# Install caseprep with its test extras (and the system packages: CJK fonts, HarfBuzz
# subsetting, Chromium for browser tests), then lint and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh --test
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
export PATH="$PWD/.venv/bin:$PATH"
# PostgreSQL and Redis answer on the project's machines; the tests use them when they do.
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export CASEPREP_TEST_POSTGRES_URL="${CASEPREP_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
fi
if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  export CASEPREP_TEST_REDIS_URL="${CASEPREP_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
fi
# In CI (CI=true) a missing server fails the run here and in the tests (tests/conftest.py),
# instead of quietly skipping every test that needs it.
if [[ "${CI:-}" == "true" ]]; then
  : "${CASEPREP_TEST_POSTGRES_URL:?CI=true: PostgreSQL does not answer on 127.0.0.1:5432}"
  : "${CASEPREP_TEST_REDIS_URL:?CI=true: Redis does not answer on 127.0.0.1:6379}"
fi
ruff check .
mypy  # configured in pyproject.toml; its cache keeps a second run to seconds
exec pytest -n 2 "$@"
