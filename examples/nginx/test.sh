#!/bin/sh
# Test script for nginx: called as "test.sh LOGFILE" while nginx runs.
# Exit 0 if nginx serves the page, 1 if not, 200 if curl itself is missing.
command -v curl >/dev/null || exit 200
port=${LOUPE_NGINX_PORT:-18080}
for i in 1 2 3; do
	body=$(curl -s --max-time 2 "http://127.0.0.1:$port/") || exit 1
	[ "$body" = "hello from loupe" ] || exit 1
done
exit 0
