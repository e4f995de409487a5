#!/usr/bin/env bash
# Mapper training: epoch time of the v2a trainer against TorchSharp (libtorch 2.10 CPU) on the same synthetic data.
# Usage: bench/training.sh [PAIRS=10000] [EPOCHS=4] [ROUNDS=2]. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Training -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
out=bench/Training/bin/Release/net10.0
preload=()
if ! strings /lib/x86_64-linux-gnu/libstdc++.so.6 2>/dev/null | grep -qx GLIBCXX_3.4.32; then
  # TorchSharp 0.107.0 needs GCC 13's libstdc++ for one symbol (see bench/Training/ios_base_library_init.c); Debian 12
  # has GCC 12's. Patch the copy in the bench's output folder and preload a no-op for that symbol.
  mkdir -p bench/out
  gcc -shared -fPIC -O2 -o bench/out/libios_base_library_init.so bench/Training/ios_base_library_init.c
  /usr/bin/python3 bench/Training/weaken_version_need.py "$out/runtimes/linux-x64/native/libLibTorchSharp.so" GLIBCXX_3.4.32 >&2
  preload=(env LD_PRELOAD="$PWD/bench/out/libios_base_library_init.so")
fi
"${preload[@]}" dotnet "$out/TrainingBench.dll" "$@"
