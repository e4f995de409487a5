#!/usr/bin/env bash
# The ORT binding's MobileNetV2 latency against onnxruntime-node (same ORT 1.23.2, same settings),
# median of RUNS runs each, best of two alternating rounds, in one invocation. Usage: bench/onnx.sh [RUNS] (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-200}"
model="${V2A_MOBILENET:-../shared/data/models/mobilenetv2-12-int8-embedding.onnx}"
[ -f "$model" ] || { echo "MobileNetV2 not found at $model (set V2A_MOBILENET)" >&2; exit 1; }
./v2a doctor >/dev/null || true   # installs ORT into the cache if missing
if [ ! -d bench/onnx-node/node_modules/onnxruntime-node ]; then
  # The install script would try to fetch CUDA binaries; the CPU core is in the tarball itself.
  (cd bench/onnx-node && ONNXRUNTIME_NODE_INSTALL=skip npm install --ignore-scripts --no-audit --no-fund --silent)
fi
dotnet build bench/OnnxBench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
out="$(mktemp)"
# Two alternating rounds; each runner keeps its better median, so a burst of load on the shared machine
# during one runner's turn does not decide the ratio.
for round in 1 2; do
  dotnet bench/OnnxBench/bin/Release/net10.0/OnnxBench.dll "$model" "$runs" >>"$out"
  node bench/onnx-node/bench.js "$model" "$runs" >>"$out"
done
/usr/bin/env python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {}
for r in rows:
    key = (r["runner"], r["threads"], r["batch"])
    by[key] = min(by.get(key, float("inf")), r["median_ms"])
print("| threads | batch | C# binding (ms) | onnxruntime-node (ms) | ratio C#/node |")
print("| --- | --- | --- | --- | --- |")
for threads in (1, 2):
    for batch in (1, 8):
        c, n = by[("csharp", threads, batch)], by[("node", threads, batch)]
        print(f"| {threads} | {batch} | {c:.2f} | {n:.2f} | {c / n:.3f} |")
PY
rm -f "$out"
