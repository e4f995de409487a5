#!/usr/bin/env bash
# Output resampler: ours against NAudio.Core's WDL resampler, quality (the PolyphaseResamplerTests SNR cases),
# output length and speed (bench/README.md, "Output resampler: ours against NAudio's").
# Usage: bench/resampler.sh [ROUNDS] (default 5). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Resampler -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet bench/Resampler/bin/Release/net10.0/ResamplerBench.dll "${1:-5}"
