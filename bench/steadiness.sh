#!/usr/bin/env bash
# Steadiness of the sound within scenes (bench/README.md, "Steady sound within a scene"). Usage: bench/steadiness.sh CLIP...
# Exit 1 when a clip misses boundary / inside <= 1.2 or cut / inside >= 2 in LIVE or QUALITY.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Steadiness -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet bench/Steadiness/bin/Release/net10.0/Steadiness.dll "$@"
