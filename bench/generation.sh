#!/usr/bin/env bash
# Audio generation benchmarks: AudioLDM generator overhead outside the models, procedural real-time factor,
# stitcher throughput. Usage: bench/generation.sh [ROUNDS] (default 5). Prints a markdown table.
# bench/generation.sh ROUNDS scheduler [STAND_IN_STEPS]: only the generation scheduler's figures (bench/README.md).
# bench/generation.sh 1 write-sets DIR CONTRACT_STEPS STAND_IN_STEPS: the AudioLDM contract and stand-in sets as folders.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Generation -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet bench/Generation/bin/Release/net10.0/GenerationBench.dll "${1:-5}" "${@:2}"
