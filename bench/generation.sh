#!/usr/bin/env bash
# Audio generation benchmarks: AudioLDM generator overhead outside ORT, procedural real-time factor,
# stitcher throughput. Usage: bench/generation.sh [ROUNDS] (default 5). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
./v2a doctor >/dev/null || true   # installs ORT into the cache if missing
dotnet build bench/Generation -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet bench/Generation/bin/Release/net10.0/GenerationBench.dll "${1:-5}"
