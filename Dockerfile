# V2AStream daemon images. CPU (default) and CUDA from one file:
#   docker build -t v2astream .
#   docker build --build-arg FLAVOUR=gpu -t v2astream:gpu .
# The image only copies and runs what CI proves on every change: './v2a publish' (the test
# tests/V2AStream.Tests/Deploy/PublishedDaemonTests.cs publishes, then starts the output with this file's ENV,
# ENTRYPOINT and CMD as an unprivileged user, checks /readyz, a stream and the SIGTERM drain). Run and mount: README.md,
# "Containers".
ARG FLAVOUR=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG FLAVOUR
WORKDIR /src
COPY . .
RUN ./v2a publish --out /app --${FLAVOUR}

# The CPU image: ASP.NET Core runtime 10 on Ubuntu 24.04.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cpu

# The CUDA image: ONNX Runtime 1.31's CUDA provider links libcudart.so.13, libcublas.so.13 and libcublasLt.so.13
# (readelf -d libonnxruntime_providers_cuda.so) and opens cuDNN 9, so CUDA 13, not 12 (CudaProbe checks the same
# list). Needs an NVIDIA driver for CUDA 13 (580 or newer) on the host and the NVIDIA container toolkit (--gpus).
FROM nvidia/cuda:13.0.2-cudnn-runtime-ubuntu24.04 AS runtime-gpu
COPY --from=mcr.microsoft.com/dotnet/aspnet:10.0 /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3t64 tzdata \
 && rm -rf /var/lib/apt/lists/*
ENV DOTNET_ROOT=/usr/share/dotnet V2A__Daemon__Device=cuda

FROM runtime-${FLAVOUR}
# ffmpeg decodes every stream (a child process per stream, started through util-linux's setpriv and prlimit so it
# dies with the daemon and has a memory bound); curl answers the HEALTHCHECK.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg util-linux curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group v2a
COPY --from=build /app /app

# Model sets: mount weights (and sets of your own, each a folder with its model-set.json) at /models, read-only.
# A shipped manifest (models/mobilenet) finds its weights in /models or /models/<set>; a set of your own is chosen
# with V2A__Daemon__ModelSet=/models/<set> (or serve --model-set /models/<set>).
ENV V2A_MODELS_PATH=/models \
    V2A__Daemon__Listen=0.0.0.0:50051 \
    V2A__Daemon__MetricsListen=0.0.0.0:9464 \
    V2A__Daemon__ShutdownTimeout=00:00:08 \
    MALLOC_ARENA_MAX=2 \
    DOTNET_NOLOGO=1
# The drain (ShutdownTimeout, 8 s) ends within Docker's default stop timeout of 10 s: on SIGTERM health turns
# NOT_SERVING, running streams get 8 s to finish, the rest end with UNAVAILABLE (clients with --reconnect go on
# elsewhere). Longer drains need 'docker run --stop-timeout' above the drain; Kubernetes: deploy/.
STOPSIGNAL SIGTERM
EXPOSE 50051 9464
USER v2a
WORKDIR /home/v2a
# Ready once the warm-up streams have run (/readyz 503 until then and while draining).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:9464/readyz"]
ENTRYPOINT ["/app/v2a"]
CMD ["serve"]
