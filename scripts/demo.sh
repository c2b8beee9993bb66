#!/usr/bin/env bash
# Run the demo: install, create the SQLite database, load the curriculum and the demo
# organisation, then serve on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export FLASK_APP=lms_cx.app
mkdir -p instance
if [[ ! -f instance/lms_cx.cfg ]]; then
  # A real secret, generated once, so the demo runs in production mode like a deployment.
  echo "SECRET_KEY = '$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')'" > instance/lms_cx.cfg
  # The demo serves plain HTTP on 127.0.0.1, so its cookies cannot be HTTPS-only.
  echo "SESSION_COOKIE_SECURE = False" >> instance/lms_cx.cfg
  echo "REMEMBER_COOKIE_SECURE = False" >> instance/lms_cx.cfg
fi
.venv/bin/flask lms-cx db upgrade
.venv/bin/flask lms-cx content sync courses quizzes --publish
.venv/bin/flask lms-cx demo load
echo
echo "lms_cx demo: http://127.0.0.1:${PORT:-5000}/  (Ctrl+C stops it)"
exec .venv/bin/gunicorn --bind "127.0.0.1:${PORT:-5000}" --workers 2 --access-logfile - "lms_cx.app:create_app()"
