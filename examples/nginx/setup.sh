#!/bin/sh
# Prepare a directory for nginx runs: setup.sh DIR [PORT]
# Writes DIR/nginx.conf and DIR/html/index.html.
set -eu
dir=$(realpath "$1")
port=${2:-18080}
here=$(dirname "$(realpath "$0")")
mkdir -p "$dir/html" "$dir/tmp"
echo "hello from loupe" > "$dir/html/index.html"
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" "$here/nginx.conf.in" > "$dir/nginx.conf"
echo "$dir/nginx.conf"
