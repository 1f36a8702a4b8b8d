#!/usr/bin/env bash
# Builds and runs Warden on embedded SQLite (./data/warden.db) at http://127.0.0.1:3000.
# On the first start it creates the `admin` account and prints its password once. The
# simulated fleet of ten agents streams traces through the OTLP endpoint (WARDEN_DEMO=0 stops it).
#
# WARDEN_SMTP_SINK=1 also starts a local SMTP server (aiosmtpd, from PyPI) on 127.0.0.1:2525
# that keeps every page Warden sends in ./data/mail (a Maildir: one file per mail under
# ./data/mail/new), so the incident pages can be read without a mail server.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$WARDEN_ROOT"
export WARDEN_DEMO="${WARDEN_DEMO:-1}"
if [ "${WARDEN_SMTP_SINK:-0}" = "1" ]; then
  venv="$WARDEN_ROOT/tools/smtp/.venv"
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    say "installing aiosmtpd, the local SMTP sink (PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$WARDEN_ROOT/tools/smtp/requirements.txt"
  fi
  mkdir -p data
  "$venv/bin/python" -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox "$WARDEN_ROOT/data/mail" &
  sink=$!
  trap 'kill $sink 2>/dev/null || true' EXIT
  export WARDEN_SMTP=127.0.0.1:2525
  say "pages go to the SMTP sink on 127.0.0.1:2525; read them in ./data/mail/new"
fi
cargo leptos serve --release --precompress
