#!/usr/bin/env bash
# Run every test of loupe: unit tests, fixture programs, and the
# end-to-end runs of real applications (package e2e). Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
go vet ./...
go test -count=1 -timeout 45m ./...
