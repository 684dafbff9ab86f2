#!/usr/bin/env bash
# Runs every test of the workspace. Works on a fresh machine: installs the wasm target first (rustup does
# not install the targets of rust-toolchain.toml by itself where RUSTUP_AUTO_INSTALL=0).
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
# Release, like the site build below, so the workspace compiles once for both.
cargo test --release --workspace --all-targets
# What the site build below needs was built by the tests: a dev-dependency that turns on more features of a
# shared dependency would make it rebuild fixbook and the checker (a minute, and again for the next test run).
if cargo build --release 2>&1 | grep -E '^ *Compiling '; then
  echo "cargo build recompiled what cargo test had built: a dev-dependency turns on features the normal build" >&2
  echo "does not. Pin them in generator/Cargo.toml (compare cargo tree -p fixbook -e normal,build -f '{p} {f}'" >&2
  echo "with cargo tree --workspace -e normal,build,dev -f '{p} {f}')." >&2
  exit 1
fi
# The site itself must pass its own content check (sources, references, links, cause examples).
cargo run --quiet --release -- check
# The built site in headless Chromium (tests/browser): the checker, search, keyboard use, axe, CSP and the
# network. Needs /usr/bin/chromium and `npm ci` in tests/browser (.ci/run does both).
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ -d tests/browser/node_modules ]; then
  site="$(mktemp -d)"
  trap 'rm -rf "$site"' EXIT
  cargo run --quiet --release -- build --output "$site/public"
  (cd tests/browser && FIXBOOK_SITE="$site/public" node --test --test-concurrency=1 .)
else
  echo "browser tests skipped: install chromium (apt-get install chromium) and run npm ci in tests/browser" >&2
  [ -z "${CI:-}" ] || exit 1
fi
