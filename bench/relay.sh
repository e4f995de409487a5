#!/usr/bin/env bash
# Latency through v2a relay (bench/README.md, "## Live relay"). Usage: bench/relay.sh [--seconds 120]
# Needs nginx and libnginx-mod-rtmp (./v2a test installs them) and the v2a build, made here.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/V2AStream -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Relay -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet bench/Relay/bin/Release/net10.0/Relay.dll "$@"
