"""ffmpeg alone: seconds from the first byte of `ffmpeg -re -i CLIP -c copy -f FORMAT -` to the first 224x224 frame of a
reader ffmpeg given the probe options on the command line (as FrameReader passes them), for one container.
Usage: python3 bench/firstframe.py CLIP FORMAT [READER INPUT OPTIONS...]
  e.g. python3 bench/firstframe.py demo-out/demo-input.mp4 mpegts -probesize 5000000          (before issue 17)
       python3 bench/firstframe.py demo-out/demo-input.mp4 mpegts -probesize 524288 -analyzeduration 250000"""
import os, subprocess, sys, threading, time

clip, fmt, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
mux = {"mpegts": ["-f", "mpegts"], "matroska": ["-f", "matroska"], "flv": ["-f", "flv"],
       "fmp4": ["-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"]}[fmt]
frame = 224 * 224 * 3
sender = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", clip, "-c", "copy", *mux, "-"], stdout=subprocess.PIPE)
reader = subprocess.Popen(["ffmpeg", "-hide_banner", "-nostats", "-loglevel", "error", *extra, "-i", "pipe:0", "-map", "0:v:0", "-an",
                           "-vf", "fps=4:round=up,scale=224:224", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
first_byte = []

def relay():
    try:
        while chunk := os.read(sender.stdout.fileno(), 1 << 16):
            first_byte or first_byte.append(time.monotonic())
            reader.stdin.write(chunk)
            reader.stdin.flush()
    except BrokenPipeError:
        pass

threading.Thread(target=relay, daemon=True).start()
got = 0
while got < frame and (chunk := reader.stdout.read1(frame - got)):
    got += len(chunk)
print(f"{fmt} {' '.join(extra)}: first frame {time.monotonic() - first_byte[0]:.2f} s after the first byte")
for process in (sender, reader):
    process.kill()
    process.wait()
