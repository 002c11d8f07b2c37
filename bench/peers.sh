#!/bin/sh
# peers.sh - install the peer tools of the info benchmark (bench/peers.py)
# from their registries into a cache OUTSIDE the repository,
# ${CSIG_PEERS_DIR:-/tmp/csig-peers}; their code is never committed.
#
#   rcodesign  crate apple-codesign (cargo install --locked; ~5-10 min to
#              compile the first time)
#   lief       PyPI package lief (pip install --target)
#   go-macho   Go module github.com/blacktop/go-macho, with the small
#              program bench/peers/gomacho_info.go built against it
#
# Each install that fails is reported and skipped: peers.py then prints
# "not installed" in that tool's rows.  Re-running is cheap once installed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
P=${CSIG_PEERS_DIR:-/tmp/csig-peers}
case "$P" in
"$ROOT" | "$ROOT"/*) echo "peers.sh: CSIG_PEERS_DIR must be outside the repository" >&2; exit 2 ;;
esac
mkdir -p "$P/bin"

if [ -x "$P/cargo/bin/rcodesign" ]; then
	echo "peers.sh: rcodesign present" >&2
elif command -v cargo >/dev/null 2>&1; then
	echo "peers.sh: cargo install apple-codesign (log: $P/cargo.log)" >&2
	CARGO_HOME="$P/cargo-home" cargo install --locked apple-codesign \
		--root "$P/cargo" >"$P/cargo.log" 2>&1 ||
		echo "peers.sh: rcodesign not installed (see $P/cargo.log)" >&2
else
	echo "peers.sh: no cargo; rcodesign not installed" >&2
fi

PY=${PYTHON:-python3}
if [ -d "$P/py/lief" ]; then
	echo "peers.sh: lief present" >&2
else
	"$PY" -m pip install --quiet --target "$P/py" lief >"$P/pip.log" 2>&1 ||
		echo "peers.sh: lief not installed (see $P/pip.log)" >&2
fi

if command -v go >/dev/null 2>&1; then
	G="$P/gomacho"
	mkdir -p "$G"
	cp "$ROOT/bench/peers/gomacho_info.go" "$G/main.go"
	(
		cd "$G" || exit 1
		[ -f go.mod ] || go mod init gomachobench >/dev/null 2>&1
		GOFLAGS=-mod=mod go get github.com/blacktop/go-macho@latest >"$P/go.log" 2>&1 &&
			GOFLAGS=-mod=mod go build -o "$P/bin/gomacho_info" . >>"$P/go.log" 2>&1
	) || echo "peers.sh: go-macho not built (see $P/go.log)" >&2
else
	echo "peers.sh: no go; go-macho not built" >&2
fi
exit 0
