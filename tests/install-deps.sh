#!/bin/sh
# Install what the tests need when it is missing (Debian packages; run as
# root, or with sudo where there is one).  Idempotent and quiet when all is there.
set -e
need=""
pkg-config --exists check 2>/dev/null || need="$need check"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
command -v llvm-otool-14 >/dev/null 2>&1 || command -v llvm-objdump-14 >/dev/null 2>&1 || need="$need llvm-14"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v python3 >/dev/null 2>&1 || need="$need python3"
python3 -c 'import pytest' 2>/dev/null || need="$need python3-pytest"
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || need="$need golang"
if [ -n "$need" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	echo "install-deps: installing$need"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
echo "install-deps: ok"
