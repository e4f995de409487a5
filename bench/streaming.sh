#!/usr/bin/env bash
# Streaming daemon benchmarks (bench/README.md, "## Streaming daemon"). Usage: bench/streaming.sh [grpc|pipeline] [--runs N]
# grpc: our Kestrel server against python3-grpcio, duplex echo of 64 KiB and 1 KiB messages, same client.
# pipeline: builtin model set end to end on a 720p30 clip against ingest alone; (c) needs the v2a build, made here.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-grpc}"
shift || true
if [ "$mode" = pipeline ]; then
  dotnet build src/V2AStream -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi
dotnet build bench/Streaming -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet bench/Streaming/bin/Release/net10.0/Streaming.dll "$mode" "$@"
