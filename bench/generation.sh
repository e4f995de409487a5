#!/usr/bin/env bash
# Audio generation benchmarks: AudioLDM generator overhead outside the models, procedural real-time factor,
# stitcher throughput. Usage: bench/generation.sh [ROUNDS] (default 5). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Generation -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet bench/Generation/bin/Release/net10.0/GenerationBench.dll "${1:-5}"
