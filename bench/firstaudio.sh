#!/usr/bin/env bash
# Time to first audio of the live recipe `ffmpeg -re -i CLIP -c copy -f FORMAT - | v2a stream - --realtime`, for
# MPEG-TS, Matroska, FLV and fragmented MP4 pipes: wall time from the first byte ffmpeg sends into the client's stdin
# to the first byte of audio on the client's stdout (--out - --format s16le, so no WAV header comes first). The client
# is started HEAD_START seconds before the sender (environment, default 2), so the figure is the daemon's and not the
# .NET start-up of the client on a loaded machine; HEAD_START=0 starts both at once, as the recipe does. Each format
# runs against this tree's build and against BASELINE's (built once into bench/out), alternating, each with its own daemon
# (`v2a serve --model-set builtin`), and the script prints the median, min and max of RUNS runs and the ratio.
# Usage: bench/firstaudio.sh [RUNS] [BASELINE] [CLIP]   (defaults 5, main, demo-out/demo-input.mp4)
#   FORMATS=mpegts,flv limits the run to those rows (mpegts, matroska, flv, "fmp4 frag_keyframe", "fmp4 frag_duration 0.25 s").
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
baseline="$(git rev-parse --short "${2:-main}")"
clip="${3:-demo-out/demo-input.mp4}"
[ -f "$clip" ] || { echo "no $clip: run ./v2a demo first, or give a clip" >&2; exit 1; }

./v2a --help >/dev/null   # builds this tree when its sources changed
ours="$(pwd)/src/V2AStream/bin/Release/net10.0/v2a.dll"
reference="bench/out/firstaudio-$baseline"
if [ ! -f "$reference/src/V2AStream/bin/Release/net10.0/v2a.dll" ]; then
  rm -rf "$reference" && mkdir -p "$reference"
  git archive "$baseline" | tar -x -C "$reference"
  dotnet build "$reference/src/V2AStream" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi
theirs="$(pwd)/$reference/src/V2AStream/bin/Release/net10.0/v2a.dll"

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); HEAD_START=${HEAD_START:-2}" >&2
/usr/bin/env python3 - "$runs" "$clip" "$ours" "$theirs" "$baseline" <<'PY'
import os, socket, statistics, subprocess, sys, threading, time, urllib.request

runs, clip, ours, theirs, baseline = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
head_start = float(os.environ.get("HEAD_START", "2"))
muxers = {
    "mpegts": ["-f", "mpegts"],
    "matroska": ["-f", "matroska"],
    "flv": ["-f", "flv"],
    # A fragment leaves the sender when it is complete: one per GOP with frag_keyframe, every 0.25 s with frag_duration.
    "fmp4 frag_keyframe": ["-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"],
    "fmp4 frag_duration 0.25 s": ["-f", "mp4", "-movflags", "empty_moov+default_base_moof", "-frag_duration", "250000"],
}
if os.environ.get("FORMATS"):
    muxers = {name: muxers[name] for name in os.environ["FORMATS"].split(",")}

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def start_daemon(dll):
    grpc, health = free_port(), free_port()
    daemon = subprocess.Popen(["dotnet", dll, "serve", "--model-set", "builtin", "--listen", f"127.0.0.1:{grpc}",
                               "--health-listen", f"127.0.0.1:{health}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{health}/readyz", timeout=1).status == 200:
                return daemon, grpc
        except OSError:
            time.sleep(0.2)
    daemon.kill()
    sys.exit(f"the daemon of {dll} did not become ready")

def first_audio(dll, grpc, muxer):
    """Seconds from the first byte sent to the client to the first audio byte it writes."""
    client = subprocess.Popen(["dotnet", dll, "stream", "-", "--server", f"http://127.0.0.1:{grpc}", "--realtime",
                               "--out", "-", "--format", "s16le"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(head_start)
    sender = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", clip, "-c", "copy", *muxer, "-"],
                              stdout=subprocess.PIPE)
    sent = []

    def relay():
        try:
            while chunk := os.read(sender.stdout.fileno(), 1 << 16):
                if not sent:
                    sent.append(time.monotonic())
                client.stdin.write(chunk)
                client.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    threading.Thread(target=relay, daemon=True).start()
    got = client.stdout.read(1)
    heard = time.monotonic()
    for process in (sender, client):
        process.kill()
        process.wait()
    if not got or not sent:
        sys.exit(f"no audio from {dll} for {muxer}")
    return heard - sent[0]

daemons = {"this tree": start_daemon(ours), f"baseline {baseline}": start_daemon(theirs)}
dlls = {"this tree": ours, f"baseline {baseline}": theirs}
times = {(name, fmt): [] for name in daemons for fmt in muxers}
try:
    for fmt, muxer in muxers.items():
        for name, (_, grpc) in daemons.items():
            first_audio(dlls[name], grpc, muxer)  # warm-up (page cache, the daemon's first call), not counted
        for _ in range(runs):
            for name, (_, grpc) in daemons.items():
                times[(name, fmt)].append(first_audio(dlls[name], grpc, muxer))
                print(f"{fmt}, {name}: {times[(name, fmt)][-1]:.2f} s", file=sys.stderr, flush=True)
finally:
    for daemon, _ in daemons.values():
        daemon.terminate()
        daemon.wait()

print(f"| pipe (ffmpeg -re ... -c copy) | this tree: median (min-max) s | baseline {baseline}: median (min-max) s | ratio of medians |")
print("| --- | ---: | ---: | ---: |")
for fmt in muxers:
    a, b = times[("this tree", fmt)], times[(f"baseline {baseline}", fmt)]
    print(f"| {fmt} | {statistics.median(a):.2f} ({min(a):.2f}-{max(a):.2f}) | {statistics.median(b):.2f} ({min(b):.2f}-{max(b):.2f}) | {statistics.median(a) / statistics.median(b):.2f} |")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
