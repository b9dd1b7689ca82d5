#!/bin/sh
# Write the HTML report of a database and a screenshot of it taken by
# headless chromium, to check by eye that the page renders.
#
# Usage: scripts/report-screenshot.sh DB OUTDIR [loupe report flags...]
# Needs Debian's chromium package (/usr/bin/chromium).
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 DB OUTDIR [loupe report flags...]" >&2
	exit 2
fi
db=$1
outdir=$2
shift 2

if [ ! -x /usr/bin/chromium ]; then
	echo "$0: /usr/bin/chromium not found: install Debian's chromium package" >&2
	exit 1
fi

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
go run ./cmd/loupe report --db "$db" -o "$outdir/report.html" "$@"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox because CI runs as root, where chromium's sandbox refuses
# to start.
/usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$profile" --screenshot="$outdir/report.png" \
	--window-size=1400,2000 "file://$outdir/report.html"
echo "$outdir/report.html"
echo "$outdir/report.png"
