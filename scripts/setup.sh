#!/usr/bin/env bash
# Install what lms_cx needs on a fresh machine: Debian libraries (as root), then a virtualenv.
# Usage: scripts/setup.sh [--tests]   (--tests adds what the test suite needs: Chromium, poppler,
# and axe-core for the accessibility checks, through npm)
set -euo pipefail
cd "$(dirname "$0")/.."

# WeasyPrint renders PDFs with Pango/HarfBuzz; DejaVu covers Latin and Polish.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(chromium poppler-utils)
  # npm installs axe-core and an xAPI client for the tests (Debian's Node, unless one is already there).
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: run this script as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: lms_cx needs Python 3.11 or newer; $("$python" --version 2>&1) found (set PYTHON=...)" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi

# Reinstall only when the dependencies changed, so repeated runs start in seconds.
stamp=.venv/.lms_cx-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
  echo "setup: installing lms_cx and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev,postgres]"
  echo "$wanted" > "$stamp"
fi

# Node packages the tests drive: axe-core (tests/e2e) and the @xapi/xapi client (tests/xapi/js),
# each pinned by its package-lock.json and reinstalled only when that lock file changed.
if [[ "${1:-}" == "--tests" ]] && command -v npm >/dev/null; then
  for dir in tests/e2e tests/xapi/js; do
    npm_stamp=$dir/node_modules/.lms_cx-installed
    npm_wanted=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [[ ! -f $npm_stamp || $(cat "$npm_stamp") != "$npm_wanted" ]]; then
      echo "setup: installing the Node packages of $dir"
      npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
      echo "$npm_wanted" > "$npm_stamp"
    fi
  done
fi
