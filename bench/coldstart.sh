#!/usr/bin/env bash
# Cold start of one daemon: the development build (JIT; the program runs with tiered compilation off, so every method
# is compiled fully optimized at first use) against the published build (./v2a publish: ReadyToRun), each with and
# without the warm-up. For each: seconds from the process start to /readyz 200, methods the JIT had compiled by then
# (dotnet_jit_compiled_methods_total: what ReadyToRun code saved, proof that it is used with tiered compilation off),
# and the time to first audio of the first real-time LIVE stream after ready and of a second one (warm: the
# reference in the same invocation), measured by 'v2a soak' of the published build.
# Usage: bench/coldstart.sh [--rounds 2] [--out bench/out/coldstart]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=2 OUT=bench/out/coldstart
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: bench/coldstart.sh [--rounds 2] [--out DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
./v2a publish --out "$OUT/app"
./v2a --help >/dev/null
CLIP="$OUT/testsrc-10s.mp4"
[ -f "$CLIP" ] || ffmpeg -hide_banner -loglevel error -f lavfi -t 10 -i testsrc2=size=320x240:rate=25 -c:v libx264 -preset veryfast \
  -g 50 -pix_fmt yuv420p -movflags +faststart -y "$CLIP"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DAEMON_PID=""
trap '[ -z "$DAEMON_PID" ] || kill -KILL "$DAEMON_PID" 2>/dev/null || true' EXIT
trap "exit 143" INT TERM

# measure NAME WARMUP CMD...: one line of the table.
measure() {
  local name="$1" warmup="$2"; shift 2
  local grpc health started ready jit first second
  grpc="$(free_port)"; health="$(free_port)"
  started="$(date +%s.%N)"
  MALLOC_ARENA_MAX=2 V2A__Daemon__Warmup="$warmup" "$@" serve --listen "127.0.0.1:$grpc" --health-listen "127.0.0.1:$health" 2>"$OUT/daemon.log" &
  DAEMON_PID=$!
  until curl -sf "http://127.0.0.1:$health/readyz" >/dev/null 2>&1; do sleep 0.02; done
  ready="$(echo "$(date +%s.%N) - $started" | bc)"
  jit="$(curl -s "http://127.0.0.1:$health/metrics" | awk '/^dotnet_jit_compiled_methods_total / {print $2}')"
  for n in 1 2; do
    "$OUT/app/v2a" soak --server "http://127.0.0.1:$grpc" --streams 1 --duration 1s --realtime --mode live --source "$CLIP" \
      --json "$OUT/soak-$n.json" >/dev/null 2>&1
  done
  first="$(/usr/bin/python3 -c "import json; print('%.2f' % json.load(open('$OUT/soak-1.json'))['time_to_first_audio_s'])")"
  second="$(/usr/bin/python3 -c "import json; print('%.2f' % json.load(open('$OUT/soak-2.json'))['time_to_first_audio_s'])")"
  kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || true; DAEMON_PID=""
  printf '| %s | %s | %.2f | %s | %s | %s | %s |\n' "$name" "$warmup" "$ready" "$jit" "$first" "$second" "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "bench/coldstart.sh $(date -u +%FT%TZ)"
echo "| build | warm-up | s to ready | JIT-compiled methods at ready | first stream: s to first audio | second stream | load average |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for round in $(seq "$ROUNDS"); do
  measure "development (JIT)" false dotnet "$PWD/src/V2AStream/bin/Release/net10.0/v2a.dll"
  measure "published (ReadyToRun)" false "$OUT/app/v2a"
  measure "development (JIT)" true dotnet "$PWD/src/V2AStream/bin/Release/net10.0/v2a.dll"
  measure "published (ReadyToRun)" true "$OUT/app/v2a"
done
