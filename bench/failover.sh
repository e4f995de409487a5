#!/usr/bin/env bash
# Scale-out and failover on this machine, for real: three daemons (the published build, ReadyToRun, as the images run
# it) behind Debian's haproxy with deploy/haproxy.cfg (HTTP/2 cleartext to each backend, health-checked on /readyz), 'v2a soak --reconnect'
# through it with 6 real-time LIVE streams, and one daemon SIGKILLed mid-run. Prints and writes (OUT/report.txt):
# streams on the killed daemon, how many came back, audio lost per interrupted stream, time until haproxy stopped
# sending new calls there, chunk latency p99 before and after, and each stream's time to first audio on the cold daemons.
# First, as the reference in the same invocation, the same 6 streams' first audio on 3 fresh daemons of the development
# build with no warm-up (what a cold daemon did before ReadyToRun and the warm-up).
# Usage: bench/failover.sh [--duration 90] [--kill-at 45] [--out bench/out/failover]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=90 KILL_AT=45 OUT=bench/out/failover
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --kill-at) KILL_AT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: bench/failover.sh [--duration 90] [--kill-at 45] [--out DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
PY=/usr/bin/python3
if ! command -v haproxy >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "haproxy is missing: sudo apt-get install haproxy" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi

./v2a publish --out "$OUT/app"
./v2a --help >/dev/null    # builds the development tree (the reference daemons)
DEV=(dotnet "$PWD/src/V2AStream/bin/Release/net10.0/v2a.dll")
APP=("$OUT/app/v2a")
CLIP="$OUT/three-scenes-60s.mp4"
[ -f "$CLIP" ] || ffmpeg -hide_banner -loglevel error -f lavfi -t 20 -i testsrc2=size=320x240:rate=25 -f lavfi -t 20 -i smptebars=size=320x240:rate=25 \
  -f lavfi -t 20 -i mandelbrot=size=320x240:rate=25 -filter_complex \
  "[0:v]setsar=1[a];[1:v]setsar=1[b];[2:v]setsar=1[c];[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]" \
  -map "[v]" -c:v libx264 -preset veryfast -g 50 -movflags +faststart -y "$CLIP"

# The reference phase sends 12 s of the clip once per stream (a soak session always runs its source to the end).
REF_CLIP="$OUT/three-scenes-12s.mp4"
[ -f "$REF_CLIP" ] || ffmpeg -hide_banner -loglevel error -i "$CLIP" -t 12 -c copy -movflags +faststart -y "$REF_CLIP"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
trap "exit 143" INT TERM

# start_daemons NAME WARMUP CMD...: three daemons; sets GRPC_PORTS, HEALTH_PORTS, DAEMON_PIDS.
start_daemons() {
  local name="$1" warmup="$2"; shift 2
  GRPC_PORTS=() HEALTH_PORTS=() DAEMON_PIDS=()
  local i started
  for i in 1 2 3; do
    GRPC_PORTS+=("$(free_port)"); HEALTH_PORTS+=("$(free_port)")
    started="$(now)"
    MALLOC_ARENA_MAX=2 V2A__Daemon__Warmup="$warmup" "$@" serve --listen "127.0.0.1:${GRPC_PORTS[-1]}" \
      --health-listen "127.0.0.1:${HEALTH_PORTS[-1]}" --max-streams 4 2>"$OUT/$name-daemon$i.log" &
    DAEMON_PIDS+=("$!"); PIDS+=("$!")
  done
  for i in 0 1 2; do
    until curl -sf "http://127.0.0.1:${HEALTH_PORTS[$i]}/readyz" >/dev/null 2>&1; do sleep 0.1; done
  done
  echo "$name: 3 daemons ready $(echo "$(now) - $started" | bc) s after the last started" | tee -a "$OUT/report.txt"
}

start_haproxy() {
  LB_PORT="$(free_port)"
  { cat deploy/haproxy.cfg
    for i in 0 1 2; do
      echo "  server d$((i + 1)) 127.0.0.1:${GRPC_PORTS[$i]} proto h2 check port ${HEALTH_PORTS[$i]} check-proto h1"
    done; } >"$OUT/haproxy.cfg"
  V2A_HAPROXY_BIND="127.0.0.1:$LB_PORT" V2A_HAPROXY_STATS="$OUT/haproxy.sock" haproxy -f "$OUT/haproxy.cfg" -db >"$OUT/haproxy.log" 2>&1 &
  HAPROXY_PID=$!; PIDS+=("$HAPROXY_PID")
  until [ -S "$OUT/haproxy.sock" ]; do sleep 0.1; done
}

stop_all() {
  for pid in "${DAEMON_PIDS[@]}" "$HAPROXY_PID"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${DAEMON_PIDS[@]}" "$HAPROXY_PID"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$OUT/haproxy.sock"
}

echo "bench/failover.sh $(date -u +%FT%TZ), load average at start $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/report.txt"

# Reference: first audio on cold daemons of the development build (JIT, tiered compilation off), no warm-up.
start_daemons reference false "${DEV[@]}"
start_haproxy
"${APP[@]}" soak --server "http://127.0.0.1:$LB_PORT" --streams 6 --duration 1s --realtime --mode live --source "$REF_CLIP" \
  --reconnect --json "$OUT/reference.json" >"$OUT/reference.txt" 2>&1 || true
stop_all

# The failover run, on the published build with the warm-up.
start_daemons failover true "${APP[@]}"
start_haproxy
SOAK_START="$(now)"
"${APP[@]}" soak --server "http://127.0.0.1:$LB_PORT" --streams 6 --duration "${DURATION}s" --realtime --mode live --source "$CLIP" \
  --reconnect --json "$OUT/soak.json" --chunks "$OUT/chunks.csv" >"$OUT/soak.txt" 2>&1 &
SOAK_PID=$!
sleep "$KILL_AT"
# The daemon running the most streams is killed; its own count, just before.
VICTIM=0 MOST=-1
for i in 0 1 2; do
  active="$(curl -s "http://127.0.0.1:${HEALTH_PORTS[$i]}/metrics" | awk '/^v2a_streams_active / {print $2}')"
  echo "daemon d$((i + 1)): ${active:-?} streams before the kill" >>"$OUT/report.txt"
  active="${active:-0}"; if [ "${active%.*}" -gt "$MOST" ]; then MOST="${active%.*}"; VICTIM=$i; fi
done
KILLED_AT="$(now)"
kill -KILL "${DAEMON_PIDS[$VICTIM]}"
# Until haproxy marks it DOWN (health check or a failed connection), polled every 20 ms on its stats socket.
"$PY" - "$OUT/haproxy.sock" "d$((VICTIM + 1))" "$KILLED_AT" >"$OUT/down.txt" <<'PYEOF'
import socket, sys, time
sock_path, server, killed = sys.argv[1], sys.argv[2], float(sys.argv[3])
def stat():
    s = socket.socket(socket.AF_UNIX); s.connect(sock_path); s.sendall(b"show stat\n")
    data = b""
    while chunk := s.recv(65536): data += chunk
    s.close()
    lines = data.decode().splitlines(); header = lines[0].lstrip("# ").split(",")
    return {row[1]: dict(zip(header, row)) for row in (l.split(",") for l in lines[1:] if l)}
while time.time() - killed < 30:
    row = stat().get(server, {})
    if row.get("status", "").startswith("DOWN"):
        print(f"{time.time() - killed:.3f}")
        break
    time.sleep(0.02)
else:
    print("nan")
PYEOF
wait "$SOAK_PID" || true
SOAK_END="$(now)"
echo "show stat" | "$PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show stat\n"); d=b""
while (c:=s.recv(65536)): d+=c
print(d.decode())' "$OUT/haproxy.sock" >"$OUT/haproxy-stat.csv"
stop_all

"$PY" - "$OUT" "$SOAK_START" "$SOAK_END" "$KILLED_AT" "d$((VICTIM + 1))" "$MOST" <<'PYEOF' | tee -a "$OUT/report.txt"
import csv, json, math, sys
out, soak_start, soak_end, killed, victim, on_victim = sys.argv[1], *map(float, sys.argv[2:5]), sys.argv[5], sys.argv[6]
soak = json.load(open(f"{out}/soak.json")); ref = json.load(open(f"{out}/reference.json"))
origin = soak_end - soak["wall_s"]            # the soak's clock starts just before its streams do
kill_s = killed - origin
rows = list(csv.DictReader(open(f"{out}/chunks.csv")))
def p99(values):
    values = sorted(values)
    return values[max(0, math.ceil(0.99 * len(values)) - 1)] if values else float("nan")
before = [float(r["latency_s"]) for r in rows if 10 <= float(r["arrival_s"]) < kill_s]
after = [float(r["latency_s"]) for r in rows if float(r["arrival_s"]) >= kill_s]
settled = [float(r["latency_s"]) for r in rows if float(r["arrival_s"]) >= kill_s + 10]
hit = [s for s in soak["per_stream"] if any(i["status"] for i in s["interruptions"])]
back = [s for s in hit if all(i["resumed"] for i in s["interruptions"])]
down = open(f"{out}/down.txt").read().strip()
stat = {r["svname"]: r for r in csv.DictReader(l for l in open(f"{out}/haproxy-stat.csv").read().lstrip("# ").splitlines() if l)}
print(f"killed {victim} (SIGKILL) {kill_s:.1f} s into the soak; its own count just before: {on_victim} streams")
print(f"streams interrupted (client side): {len(hit)} of {soak['streams']}; came back: {len(back)}; reconnects {soak['reconnects']}")
for s in hit:
    for i in s["interruptions"]:
        again = i["resumed_at_s"] - kill_s if i["resumed_at_s"] is not None else float("nan")
        print(f"  stream {s['index']}: {i['status']} at {i['reached_s']:.2f} s of its media, {i['lost_s']:.2f} s of audio lost, audio again {again:.2f} s after the kill")
lost = ", ".join("%.2f" % s["audio_lost_s"] for s in hit)
print(f"audio lost per interrupted stream: {lost} s (total {soak['audio_lost_s']:.2f} s)")
print(f"haproxy marked {victim} DOWN {down} s after the kill; connection errors to it {stat[victim]['econ']}, retries {stat[victim]['wretr']}, redispatches {stat[victim]['wredis']}")
print(f"chunk latency p99: before the kill {p99(before):.3f} s ({len(before)} chunks from 10 s on), after {p99(after):.3f} s ({len(after)} chunks), from 10 s after the kill {p99(settled):.3f} s")
print(f"errors: {soak['errors'] or 'none'}; underruns {soak['underruns']}")
def first_audio(report):
    return ", ".join("%.2f" % s["time_to_first_audio_s"] for s in report["per_stream"])
print(f"time to first audio, 6 streams on 3 cold daemons: published ReadyToRun with warm-up: {first_audio(soak)} s")
print(f"                                   reference (development build, no warm-up): {first_audio(ref)} s")
PYEOF
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/report.txt"
