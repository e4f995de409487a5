#!/usr/bin/env bash
# For users with an NVIDIA GPU (a driver for CUDA 13, the CUDA 13 libraries and cuDNN 9 on the loader path): AudioLDM's
# sampling loop on the GPU with the contract graphs and a stand-in UNet of the real size; prints ms per step, ms per
# 2.56 s block and the real-time factor of one stream. Builds bench/Gpu with the CUDA flavour of ONNX Runtime
# (Microsoft.ML.OnnxRuntime.Gpu.Linux, about 300 MB restored once) in a copy of the sources under bench/out/gpu, so the
# project's own build keeps its flavour. '--device cpu' runs the same loop with the CPU build instead.
# Usage: bench/gpu.sh [--device cuda:N|cpu] [--steps 25] [--rounds 5]
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=(-p:V2AGpu=true)
copy=bench/out/gpu
for arg in "$@"; do
  if [ "$arg" = cpu ]; then flavour=(); copy=bench/out/gpu-cpu; fi
done
mkdir -p "$copy"
tar --exclude=bin --exclude=obj -cf - src tests/V2AStream.Testing bench/Gpu bench/Common Directory.Build.props Directory.Packages.props V2AStream.sln \
  | tar -xf - -C "$copy"
dotnet build "$copy/bench/Gpu" -c Release "${flavour[@]}" -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet "$copy/bench/Gpu/bin/Release/net10.0/GpuBench.dll" "$@"
