#!/usr/bin/env bash
# Builds and runs Warden on embedded SQLite (./data/warden.db) at http://127.0.0.1:3000.
# On the first start it creates the `admin` account and prints its password once.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$WARDEN_ROOT"
exec cargo leptos serve --release
