#!/usr/bin/env bash
# Builds and runs Warden on embedded SQLite (./data/warden.db) at http://127.0.0.1:3000.
# On the first start it creates the `admin` account and prints its password once. The
# simulated fleet of ten agents streams traces through the OTLP endpoint (WARDEN_DEMO=0 stops it).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$WARDEN_ROOT"
export WARDEN_DEMO="${WARDEN_DEMO:-1}"
exec cargo leptos serve --release --precompress
