# What the tests need beyond the build: Chromium, the browser-test packages, PostgreSQL.
# Sourced by scripts/test.sh after scripts/setup.sh.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v psql >/dev/null && command -v pg_isready >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian (about 30 seconds)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d "$WARDEN_ROOT/end2end/node_modules/playwright-core" ]; then
  say "installing the browser-test packages"
  npm ci --prefix "$WARDEN_ROOT/end2end" --no-audit --no-fund --loglevel=error
fi

# A real OpenTelemetry client for the browser test: the official Python SDK from PyPI.
venv="$WARDEN_ROOT/end2end/python/.venv"
if ! "$venv/bin/python" -c 'import opentelemetry.exporter.otlp.proto.http' 2>/dev/null; then
  say "installing the OpenTelemetry Python SDK (PyPI)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$WARDEN_ROOT/end2end/python/requirements.txt"
fi

# A real SMTP server for the paging tests: aiosmtpd from PyPI, writing each mail it gets
# to a Maildir the test reads (pyenv's python3 cannot import Debian's python3-aiosmtpd).
smtp_venv="$WARDEN_ROOT/tools/smtp/.venv"
if ! "$smtp_venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  say "installing aiosmtpd, the SMTP server of the paging tests (PyPI)"
  python3 -m venv "$smtp_venv"
  "$smtp_venv/bin/pip" install -q --disable-pip-version-check -r "$WARDEN_ROOT/tools/smtp/requirements.txt"
fi
export WARDEN_TEST_SMTP_PYTHON="$smtp_venv/bin/python"

# The PostgreSQL half of the suite runs against the server this machine kind provides.
# TEST_POSTGRES_SERVER points the tests at another server; the default is this machine's.
if [ -z "${TEST_POSTGRES_SERVER:-}" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "no PostgreSQL at 127.0.0.1:5432: start one, or set TEST_POSTGRES_SERVER=postgres://user@host:port"
    exit 1
  fi
fi
