# Installs what building and testing Warden need, each only when it is missing.
# Sourced by scripts/run.sh and scripts/test.sh (it exports PATH); safe to run again.
# Measured on a fresh 2-core machine of this kind: cargo-leptos ~10 min, wasm-bindgen-cli
# ~2.5 min, Chromium ~30 s, the npm packages seconds.
set -euo pipefail

WARDEN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.117  # must equal the wasm-bindgen crate in Cargo.lock

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

export PATH="$WARDEN_ROOT/tools/wasm-opt/node_modules/.bin:$HOME/.cargo/bin:$PATH"

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes)"
  # --debug builds in a third of the time; cargo-leptos only orchestrates the build.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --debug
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

if [ ! -x "$WARDEN_ROOT/tools/wasm-opt/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (binaryen 116 from npm)"
  npm ci --prefix "$WARDEN_ROOT/tools/wasm-opt" --no-audit --no-fund --loglevel=error
fi
