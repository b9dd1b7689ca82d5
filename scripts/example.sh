#!/usr/bin/env bash
# Build loupe and analyse nginx serving a page, judged by a curl-based
# test script. Needs root; installs nginx and curl with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light curl
fi
go build -o loupe ./cmd/loupe

dir=$(mktemp -d /tmp/loupe-nginx.XXXXXX)
chmod 755 "$dir"
port=${LOUPE_NGINX_PORT:-18080}
examples/nginx/setup.sh "$dir" "$port" >/dev/null
LOUPE_NGINX_PORT=$port ./loupe explore -t examples/nginx/test.sh -- nginx -c "$dir/nginx.conf"
rm -rf "$dir"
