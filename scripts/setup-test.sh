# What the tests need beyond the build: Chromium, the browser-test packages, PostgreSQL.
# Sourced by scripts/test.sh after scripts/setup.sh.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium from Debian (about 30 seconds)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if [ ! -d "$WARDEN_ROOT/end2end/node_modules/playwright-core" ]; then
  say "installing the browser-test packages"
  npm ci --prefix "$WARDEN_ROOT/end2end" --no-audit --no-fund --loglevel=error
fi

# The PostgreSQL half of the suite runs against the server this machine kind provides.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
