#!/usr/bin/env bash
# Runs every test of the workspace. Works on a fresh machine: installs the wasm target first (rustup does
# not install the targets of rust-toolchain.toml by itself where RUSTUP_AUTO_INSTALL=0).
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
cargo test --workspace --all-targets
# The site itself must pass its own content check (sources, references, links, cause examples).
cargo run --quiet --release -- check
