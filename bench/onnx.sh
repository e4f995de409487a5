#!/usr/bin/env bash
# MobileNetV2 latency through ONNX Runtime's .NET API (Microsoft.ML.OnnxRuntime 1.31.1, as the project runs it) against
# the C-API binding the project had before (bench/OnnxBench at commit BASELINE), both on the same libonnxruntime.so
# (the package's 1.31.1) with the same settings: median of RUNS runs each, best of two alternating rounds, in one
# invocation. npm has no onnxruntime-node 1.31.x, so the binding is the same-release reference.
# Usage: bench/onnx.sh [RUNS] [BASELINE] (defaults 200, 06cb515: the last commit with the binding)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-200}"
baseline="${2:-06cb515}"
model="${V2A_MOBILENET:-../shared/data/models/mobilenetv2-12-int8-embedding.onnx}"
[ -f "$model" ] || { echo "MobileNetV2 not found at $model (set V2A_MOBILENET)" >&2; exit 1; }
dotnet build bench/OnnxBench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
ours=bench/OnnxBench/bin/Release/net10.0
library="$(pwd)/$ours/runtimes/linux-x64/native/libonnxruntime.so"
[ -f "$library" ] || { echo "the build did not bring $library" >&2; exit 1; }

# The binding's bench, built from the baseline commit in bench/out (git-ignored), once per commit.
reference="bench/out/onnx-binding-$baseline"
if [ ! -f "$reference/bench/OnnxBench/bin/Release/net10.0/OnnxBench.dll" ]; then
  rm -rf "$reference" && mkdir -p "$reference"
  git archive "$baseline" | tar -x -C "$reference"
  dotnet build "$reference/bench/OnnxBench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

out="$(mktemp)"
# Two alternating rounds; each runner keeps its better median, so a burst of load on the shared machine
# during one runner's turn does not decide the ratio.
for round in 1 2; do
  dotnet "$ours/OnnxBench.dll" "$model" "$runs" >>"$out"
  V2A_ORT_LIB="$library" dotnet "$reference/bench/OnnxBench/bin/Release/net10.0/OnnxBench.dll" "$model" "$runs" >>"$out"
done
/usr/bin/env python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {}
for r in rows:
    runner = "binding" if r["runner"] == "csharp" else r["runner"]
    key = (runner, r["threads"], r["batch"])
    by[key] = min(by.get(key, float("inf")), r["median_ms"])
print("| threads | batch | .NET API (ms) | C-API binding (ms) | ratio .NET API/binding |")
print("| --- | --- | --- | --- | --- |")
for threads in (1, 2):
    for batch in (1, 8):
        ours, binding = by[("dotnet-api", threads, batch)], by[("binding", threads, batch)]
        print(f"| {threads} | {batch} | {ours:.2f} | {binding:.2f} | {ours / binding:.3f} |")
PY
rm -f "$out"
