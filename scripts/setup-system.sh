#!/usr/bin/env bash
# Installs the Debian packages caseprep needs beyond Python: WeasyPrint's Pango stack,
# HarfBuzz's subsetting library (without it WeasyPrint falls back to slow fontTools
# subsetting), CJK fonts (real glyphs for Chinese, Japanese, Korean), poppler-utils
# (pdftoppm/pdftotext for looking at PDFs), and, with --test, Chromium for browser tests.
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
      fonts-noto-cjk fonts-dejavu-core poppler-utils)
if [[ "${1:-}" == "--test" ]]; then
  want+=(chromium)
  # npm installs axe-core for the accessibility tests (tests/browser/package.json). A machine
  # whose Node.js comes from NodeSource already has npm, and Debian's npm package conflicts
  # with that nodejs: ask apt for npm only when there is no npm command at all.
  command -v npm >/dev/null 2>&1 || want+=(npm)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "caseprep: installing system packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
fi
if [[ "${1:-}" == "--test" ]]; then
  # axe-core, pinned in tests/browser/package-lock.json, from the npm registry.
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  (cd "$here/tests/browser" && npm ci --no-audit --no-fund --silent)
fi
