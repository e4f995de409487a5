#!/usr/bin/python3
"""A Python client of the V2AStream daemon, with nothing but grpcio and protobuf.

There are no generated *_pb2 modules: the daemon serves gRPC server reflection, so this client asks it
for the FileDescriptorProto of v2astream.v1.V2AStream, builds the message classes from it at run time,
and calls the methods with grpc's generic API. Works with Debian's python3-grpcio and python3-protobuf
(run it with /usr/bin/python3 there):

    v2a_client.py info
    v2a_client.py generate in.mp4 --out out.wav [--realtime]
    v2a_client.py generate in.mp4 --raw-frames yuv420p --out out.wav   # decoded here by ffmpeg, sent as RawFrame
    v2a_client.py generate srt://127.0.0.1:9000 --on-server --out out.wav   # GenerateFromSource
    v2a_client.py scenes /srv/videos/in.mp4        # the daemon opens it: needs ./v2a serve --allow-root /srv/videos
    v2a_client.py health
    v2a_client.py services

--server HOST:PORT or http(s)://HOST:PORT (default 127.0.0.1:50051; https:// for a daemon with TLS), --token T (or V2A_TOKEN) when the daemon has one, --json for
one JSON object per line instead of text (a scene as the v2a CLI prints it: index, start_s, end_s,
start_frame, end_frame, score, labels). Exit codes: 0 ok, 1 the call or the input failed (one
"error: ..." line on stderr, with the gRPC status and its message), 2 bad usage.
"""
import argparse
import json
import os
import tempfile
import shutil
import subprocess
import sys
import time
import wave

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

SERVICE = "v2astream.v1.V2AStream"
HEALTH = "grpc.health.v1.Health"
CHUNK_BYTES = 64 * 1024


class ClientError(Exception):
    """A failure this client explains in one line (exit code 1)."""


def reflection_classes():
    """ServerReflectionRequest/Response for grpc.reflection.v1 (and v1alpha, the same messages), built from
    a FileDescriptorProto written here because the reflection protos are not part of python3-protobuf."""
    F = descriptor_pb2.FieldDescriptorProto
    pool = descriptor_pool.DescriptorPool()
    classes = {}
    for package in ("grpc.reflection.v1", "grpc.reflection.v1alpha"):
        file = descriptor_pb2.FileDescriptorProto(name=package.replace(".", "/") + "/reflection.proto",
                                                  package=package, syntax="proto3")

        def message(name, *fields):
            proto = file.message_type.add(name=name)
            for number, field_name, field_type, type_name, repeated, oneof in fields:
                field = proto.field.add(name=field_name, number=number, type=field_type,
                                        label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
                if type_name:
                    field.type_name = "." + package + "." + type_name
                if oneof:
                    if not proto.oneof_decl:
                        proto.oneof_decl.add(name=oneof)
                    field.oneof_index = 0
            return proto

        message("ServerReflectionRequest",
                (1, "host", F.TYPE_STRING, None, False, None),
                (3, "file_by_filename", F.TYPE_STRING, None, False, "message_request"),
                (4, "file_containing_symbol", F.TYPE_STRING, None, False, "message_request"),
                (7, "list_services", F.TYPE_STRING, None, False, "message_request"))
        message("FileDescriptorResponse", (1, "file_descriptor_proto", F.TYPE_BYTES, None, True, None))
        message("ServiceResponse", (1, "name", F.TYPE_STRING, None, False, None))
        message("ListServiceResponse", (1, "service", F.TYPE_MESSAGE, "ServiceResponse", True, None))
        message("ErrorResponse",
                (1, "error_code", F.TYPE_INT32, None, False, None),
                (2, "error_message", F.TYPE_STRING, None, False, None))
        message("ServerReflectionResponse",
                (1, "valid_host", F.TYPE_STRING, None, False, None),
                (4, "file_descriptor_response", F.TYPE_MESSAGE, "FileDescriptorResponse", False, "message_response"),
                (6, "list_services_response", F.TYPE_MESSAGE, "ListServiceResponse", False, "message_response"),
                (7, "error_response", F.TYPE_MESSAGE, "ErrorResponse", False, "message_response"))
        pool.Add(file)
        classes[package] = (message_class(pool, package + ".ServerReflectionRequest"),
                            message_class(pool, package + ".ServerReflectionResponse"))
    return classes


def message_class(pool, full_name):
    descriptor = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def identity(data):
    return data


class Reflection:
    """Asks the server's reflection service for services and descriptors (v1, else v1alpha)."""

    def __init__(self, channel, metadata, timeout):
        self._channel, self._metadata, self._timeout = channel, metadata, timeout
        self._classes = reflection_classes()

    def ask(self, **request_fields):
        last_error = None
        for package in ("grpc.reflection.v1", "grpc.reflection.v1alpha"):
            request_class, response_class = self._classes[package]
            call = self._channel.stream_stream("/%s.ServerReflection/ServerReflectionInfo" % package,
                                               request_serializer=request_class.SerializeToString,
                                               response_deserializer=response_class.FromString)
            try:
                responses = list(call(iter([request_class(**request_fields)]), timeout=self._timeout,
                                      metadata=self._metadata))
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.UNIMPLEMENTED:
                    raise
                last_error = error
                continue
            response = responses[0]
            if response.WhichOneof("message_response") == "error_response":
                raise ClientError("reflection: %s (code %d)" % (response.error_response.error_message,
                                                                response.error_response.error_code))
            return response
        raise last_error

    def services(self):
        return [s.name for s in self.ask(list_services="").list_services_response.service]

    def pool_with(self, symbol):
        """A descriptor pool holding the file that defines symbol and every file it imports."""
        pool = descriptor_pool.DescriptorPool()
        files = {}
        pending = [("file_containing_symbol", symbol)]
        while pending:
            kind, value = pending.pop()
            for data in self.ask(**{kind: value}).file_descriptor_response.file_descriptor_proto:
                file = descriptor_pb2.FileDescriptorProto.FromString(data)
                files[file.name] = file
            pending = [("file_by_filename", d) for f in files.values() for d in f.dependency if d not in files]
        added = set()

        def add(name):
            if name in added:
                return
            for dependency in files[name].dependency:
                add(dependency)
            pool.Add(files[name])
            added.add(name)

        for name in files:
            add(name)
        return pool


class Api:
    """The daemon's methods, with message classes made from the descriptors the server reflected."""

    def __init__(self, channel, metadata, timeout):
        self.channel, self.metadata, self.timeout = channel, metadata, timeout
        self.reflection = Reflection(channel, metadata, timeout)
        self._pools = {}

    def message(self, full_name):
        package = full_name.rsplit(".", 1)[0]
        if package not in self._pools:
            self._pools[package] = self.reflection.pool_with(SERVICE if package == "v2astream.v1" else HEALTH)
        return message_class(self._pools[package], full_name)

    def method(self, kind, path, request_type, response_type):
        return getattr(self.channel, kind)(path, request_serializer=request_type.SerializeToString,
                                           response_deserializer=response_type.FromString)


def media_chunks(path, pace_seconds):
    """The file's bytes in 64 KiB pieces, spread evenly over pace_seconds when given (a live feed)."""
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        total = None if path == "-" else os.fstat(stream.fileno()).st_size
        started, sent = time.monotonic(), 0
        while True:
            data = stream.read(CHUNK_BYTES)
            if not data:
                return
            if pace_seconds and total:
                due = started + pace_seconds * sent / total
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            sent += len(data)
            yield data
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def probe_seconds(path):
    """The media duration by ffprobe, for --realtime pacing; None when ffprobe is not installed or cannot tell."""
    if path == "-" or shutil.which("ffprobe") is None:
        return None
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                            capture_output=True, text=True)
    try:
        return float(result.stdout.strip())
    except ValueError:
        return None


def probe_video(path):
    """(width, height, frames per second) of the first video stream, by ffprobe, for --raw-frames."""
    if shutil.which("ffprobe") is None:
        raise ClientError("--raw-frames needs ffprobe and ffmpeg (Debian: apt-get install ffmpeg).")
    result = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                             "stream=width,height,avg_frame_rate,r_frame_rate", "-of", "json", path],
                            capture_output=True, text=True)
    streams = json.loads(result.stdout or "{}").get("streams") if result.returncode == 0 else None
    if not streams:
        raise ClientError("ffprobe found no video stream in '%s': %s" % (path, result.stderr.strip()))
    stream = streams[0]

    def rate(text):
        numerator, _, denominator = (text or "0/0").partition("/")
        return float(numerator) / float(denominator) if float(denominator or 0) else 0.0

    fps = rate(stream.get("avg_frame_rate")) or rate(stream.get("r_frame_rate"))
    if not fps:
        raise ClientError("ffprobe found no frame rate for '%s'." % path)
    return int(stream["width"]), int(stream["height"]), fps


def raw_frames(path, pixel_format, width, height, fps, realtime):
    """(pts_us, bytes) of each frame, decoded by ffmpeg into pixel_format at the file's size, constant rate fps
    (ffmpeg's fps filter), and sent at 1x when realtime. ffmpeg is stopped however the caller stops reading."""
    frame_bytes = width * height * 3 if pixel_format == "rgb24" else width * height + 2 * ((width + 1) // 2) * ((height + 1) // 2)
    decoder = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-map", "0:v:0",
                                "-vf", "fps=%r" % fps, "-f", "rawvideo", "-pix_fmt", pixel_format, "pipe:1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        started, index = time.monotonic(), 0
        while True:
            data = decoder.stdout.read(frame_bytes)
            if len(data) < frame_bytes:
                break
            pts_us = round(index * 1e6 / fps)
            if realtime:
                delay = started + pts_us / 1e6 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            yield pts_us, data
            index += 1
        if decoder.wait() != 0:
            raise ClientError("ffmpeg could not decode '%s': %s" % (path, decoder.stderr.read().decode(errors="replace").strip()))
    finally:
        if decoder.poll() is None:
            decoder.kill()
            decoder.wait()
        decoder.stdout.close()
        decoder.stderr.close()


def enum_name(message, field):
    return message.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[getattr(message, field)].name


def as_dict(message):
    """The proto3 JSON mapping with every field, zeros included (the option's name changed in protobuf 5.26)."""
    try:
        return json_format.MessageToDict(message, preserving_proto_field_name=True, including_default_value_fields=True)
    except TypeError:
        return json_format.MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


def scene_json(scene, fps):
    """A scene as every --json output shows it (README.md, "Machine-readable output"): media seconds and sampled frames."""
    start, end = scene.start_us / 1e6, scene.end_us / 1e6
    return {"index": scene.scene_index, "start_s": start, "end_s": end, "start_frame": round(start * fps),
            "end_frame": round(end * fps) - 1, "score": scene.score, "labels": list(scene.labels)}


def server_address(text):
    """HOST:PORT or http://HOST:PORT (plain HTTP/2), https://HOST:PORT (TLS): the (target, tls) to connect to."""
    tls = text.startswith("https://")
    target = text.split("://", 1)[1] if text.startswith(("http://", "https://")) else text
    host, _, port = target.rstrip("/").rpartition(":")
    if "://" in target or "/" in target.rstrip("/") or not host or not port.isdigit():
        raise argparse.ArgumentTypeError("'%s' is not an address: use HOST:PORT or http(s)://HOST:PORT, e.g. 127.0.0.1:50051" % text)
    return host + ":" + port, tls


def scene_line(scene):
    end = "open" if scene.end_us == 0 else "%.3f s" % (scene.end_us / 1e6)
    labels = " [%s]" % ", ".join(scene.labels) if scene.labels else ""
    return "scene %d: %.3f s - %s, score %.2f%s" % (scene.scene_index, scene.start_us / 1e6, end, scene.score, labels)


class Output:
    def __init__(self, as_json):
        self.as_json = as_json

    def event(self, kind, message, text):
        if self.as_json:
            print(json.dumps({kind: as_dict(message)}), flush=True)
        else:
            print(text, flush=True)

    def scene(self, scene, fps):
        self.value("scene", scene_json(scene, fps), scene_line(scene))

    def value(self, kind, value, text):
        if self.as_json:
            print(json.dumps({kind: value}), flush=True)
        else:
            print(text, flush=True)


def info(api, args, out):
    request, response = api.message("v2astream.v1.GetInfoRequest"), api.message("v2astream.v1.ServerInfo")
    server = api.method("unary_unary", "/%s/GetInfo" % SERVICE, request, response)(
        request(), timeout=api.timeout, metadata=api.metadata)
    sets = "\n".join("  %s%s: %s + %s + %s, %d Hz%s" % (
        s.name, " (default)" if s.name == server.default_model_set else "", s.embedder, s.mapper, s.generator,
        s.sample_rate, "" if s.available else ", unavailable: " + s.problem) for s in server.model_sets)
    limits = server.limits
    out.event("info", server, "\n".join([
        "server %s, ONNX Runtime %s, ffmpeg %s" % (server.server_version, server.onnxruntime_version, server.ffmpeg_version),
        "execution providers: %s" % ", ".join(server.execution_providers),
        "model sets:", sets,
        "limits: %d of %d streams active, messages up to %d bytes, frames up to %dx%d, GenerateFromSource %s" % (
            limits.active_streams, limits.max_streams, limits.max_receive_message_bytes, limits.max_frame_width,
            limits.max_frame_height, "allowed" if limits.source_roots_configured or limits.allowed_schemes else "refused"),
    ]))
    return 0


def stream_config(api, args):
    config = api.message("v2astream.v1.StreamConfig")()
    config.realtime = args.realtime
    config.output.encoding = config.output.DESCRIPTOR.fields_by_name["encoding"].enum_type.values_by_name["PCM_S16LE"].number
    config.output.sample_rate = args.sample_rate
    config.output.channels = args.channels
    if args.model_set:
        config.generation.model_set = args.model_set
    if args.seed is not None:
        config.generation.seed = args.seed
    if args.input_format:
        config.input.format = args.input_format
    return config


def report(out, response, wav, stream):
    """Handles one GenerateResponse: audio to the WAV, the rest printed. Returns the summary when it is one."""
    kind = response.WhichOneof("event")
    if kind == "audio":
        wav.writeframes(response.audio.data)
    elif kind == "started":
        started = response.started
        stream["fps"] = started.config.scenes.sample_fps
        out.event("started", started, "stream %s started (%s mode)" % (
            started.request_id, enum_name(started.config.generation, "mode").lower()))
    elif kind == "scene":
        if response.scene.final:
            out.scene(response.scene, stream.get("fps", 0))
    elif kind == "summary":
        s = response.summary
        out.event("summary", s, "summary: %.3f s of media -> %d samples, %d scenes, %d frames, %d blocks, %.1fx real time%s" % (
            s.duration_us / 1e6, s.total_samples, s.scene_count, s.frames_decoded, s.blocks_generated, s.realtime_factor,
            ", chunk latency mean %.2f s max %.2f s" % (s.mean_latency_us / 1e6, s.max_latency_us / 1e6) if s.max_latency_us else ""))
        return s
    return None


def temporary_beside(path):
    """An empty file under a short hidden name in PATH's folder, made now so that a path that cannot be written fails
    before any work; it is renamed over PATH at the end, so the file appears whole or not at all and any legal name
    can be written."""
    if os.path.isdir(path):
        raise ClientError("'%s' is a folder: name a file in it." % path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ClientError("'%s': folder '%s' does not exist: create it first." % (path, folder))
    handle, temporary = tempfile.mkstemp(prefix=".v2a-", suffix=".wav", dir=folder)
    os.close(handle)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)
    return temporary


def generate(api, args, out):
    if not args.on_server and args.input != "-" and not os.path.isfile(args.input):
        raise ClientError("'%s' does not exist or is not a file." % args.input)
    partial = temporary_beside(args.out)
    try:
        summary = stream_to(api, args, out, partial)
    except BaseException:
        os.remove(partial)
        raise
    if summary is None:
        os.remove(partial)
        raise ClientError("the stream ended without a summary; no audio written.")
    os.replace(partial, args.out)
    out.value("wav", {"path": args.out, "samples": summary.total_samples}, "wrote %s" % args.out)
    return 0


def stream_to(api, args, out, path):
    """Runs the call, writing its audio as WAV to PATH; returns its summary, or None when it sent none."""
    response_type = api.message("v2astream.v1.GenerateResponse")
    config = stream_config(api, args)
    if args.on_server:
        # The daemon opens the path or URL itself (GenerateFromSource), within its --allow-root/--allow-scheme.
        source_type = api.message("v2astream.v1.SourceRequest")
        call = api.method("unary_stream", "/%s/GenerateFromSource" % SERVICE, source_type, response_type)
        responses = call(source_type(source=args.input, config=config), timeout=args.timeout, metadata=api.metadata)
    else:
        request_type = api.message("v2astream.v1.GenerateRequest")
        if args.raw_frames:
            # Decoded here; the daemon gets RawFrame messages described by input.raw_* instead of container bytes.
            if args.input == "-":
                raise ClientError("--raw-frames needs a file: ffprobe reads its size and rate first.")
            width, height, fps = probe_video(args.input)
            config.input.raw_width, config.input.raw_height, config.input.raw_fps = width, height, fps
            config.input.raw_pixel_format = config.input.DESCRIPTOR.fields_by_name["raw_pixel_format"].enum_type.values_by_name[args.raw_frames.upper()].number

            def requests():
                yield request_type(config=config)
                for pts_us, data in raw_frames(args.input, args.raw_frames, width, height, fps, args.realtime):
                    yield request_type(frame={"pts_us": pts_us, "data": data})
        else:
            pace = probe_seconds(args.input) if args.realtime else None

            def requests():
                yield request_type(config=config)
                for data in media_chunks(args.input, pace):
                    yield request_type(media=data)

        call = api.method("stream_stream", "/%s/Generate" % SERVICE, request_type, response_type)
        responses = call(requests(), timeout=args.timeout, metadata=api.metadata)
    summary = None
    stream = {}
    with wave.open(path, "wb") as wav:
        wav.setsampwidth(2)
        wav.setnchannels(args.channels or 1)
        wav.setframerate(args.sample_rate or 16000)
        started = False
        for response in responses:
            if response.WhichOneof("event") == "audio" and not started:
                # The stream's real format, which the server fills in where the request left 0.
                wav.setnchannels(response.audio.channels)
                wav.setframerate(response.audio.sample_rate)
                started = True
            summary = report(out, response, wav, stream) or summary
    return summary


def scenes(api, args, out):
    request_type = api.message("v2astream.v1.SourceRequest")
    scene_type = api.message("v2astream.v1.SceneEvent")
    call = api.method("unary_stream", "/%s/DetectScenes" % SERVICE, request_type, scene_type)
    request = request_type(source=args.source)
    request.config.scenes.sample_fps = args.fps
    count = 0
    responses = call(request, timeout=args.timeout, metadata=api.metadata)
    for scene in responses:
        if scene.final:
            count += 1
            out.scene(scene, args.fps)
    out.value("scene_count", count, "%d scenes" % count)
    # An input that ended early still ends OK, after the scenes of what decoded; the daemon says why in a trailer.
    warning = dict(responses.trailing_metadata() or ()).get("v2a-input-warning")
    if warning:
        print("warning: the input ended early: %s" % warning, file=sys.stderr)
    return 0


def health(api, args, out):
    request_type = api.message("grpc.health.v1.HealthCheckRequest")
    response_type = api.message("grpc.health.v1.HealthCheckResponse")
    call = api.method("unary_unary", "/%s/Check" % HEALTH, request_type, response_type)
    response = call(request_type(service=args.service), timeout=api.timeout)
    status = enum_name(response, "status")
    out.value("status", status, "%s: %s" % (args.service or "(server)", status))
    return 0 if status == "SERVING" else 1


def services(api, args, out):
    names = api.reflection.services()
    out.value("services", names, "\n".join(names))
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="v2a_client.py", description="A client of the V2AStream daemon (gRPC).")
    parser.add_argument("--server", default="127.0.0.1:50051", type=server_address,
                        help="the daemon's HOST:PORT or http(s)://HOST:PORT (default 127.0.0.1:50051)")
    parser.add_argument("--token", default=os.environ.get("V2A_TOKEN"), help="bearer token, when the daemon has --token (default $V2A_TOKEN)")
    parser.add_argument("--timeout", type=float, default=None, help="deadline of the call in seconds (default: none for streams, 30 for the rest)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="versions, model sets and limits (GetInfo)")
    gen = commands.add_parser("generate", help="stream a video file (or - for stdin) and write the generated audio as WAV")
    gen.add_argument("input", help="a video file in a pipeable container, or - for stdin")
    gen.add_argument("-o", "--out", required=True, help="the WAV file to write")
    gen.add_argument("--realtime", action="store_true", help="the input is live: LIVE mode, and a file is sent at 1x speed")
    gen.add_argument("--on-server", action="store_true",
                     help="the daemon opens INPUT (a path under its --allow-root, or a URL of an allowed scheme) itself")
    gen.add_argument("--sample-rate", type=int, default=16000, help="16000, 44100 or 48000 (default 16000)")
    gen.add_argument("--channels", type=int, default=1, help="1 or 2 (default 1)")
    gen.add_argument("--model-set", help="a model set from 'info' (default: the server's)")
    gen.add_argument("--seed", type=int, help="same seed, same input: same audio")
    gen.add_argument("--input-format", help="ffmpeg container format (mpegts, matroska...); default: probe")
    gen.add_argument("--raw-frames", choices=("yuv420p", "rgb24"),
                     help="decode INPUT here with ffmpeg and send its frames in this pixel format (RawFrame) instead of its bytes")
    sc = commands.add_parser("scenes", help="scene cuts of a file the daemon opens itself (DetectScenes; needs --allow-root)")
    sc.add_argument("source", help="a path under one of the daemon's --allow-root folders, or an allowed URL")
    sc.add_argument("--fps", type=float, default=4, help="frames sampled per second (default 4)")
    hc = commands.add_parser("health", help="grpc.health.v1 Check")
    hc.add_argument("service", nargs="?", default="", help="a service name (default: the whole server)")
    commands.add_parser("services", help="the services the daemon lists by reflection")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    metadata = (("authorization", "Bearer " + args.token),) if args.token else None
    unary_timeout = args.timeout or 30
    out = Output(args.json)
    handlers = {"info": info, "generate": generate, "scenes": scenes, "health": health, "services": services}
    # A loopback daemon must not be reached through a proxy from the environment.
    options = [("grpc.enable_http_proxy", 0), ("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    target, tls = args.server
    try:
        channel = (grpc.secure_channel(target, grpc.ssl_channel_credentials(), options=options) if tls
                   else grpc.insecure_channel(target, options=options))
        with channel:
            try:
                grpc.channel_ready_future(channel).result(timeout=unary_timeout)
            except grpc.FutureTimeoutError:
                raise ClientError("cannot reach the daemon at %s: is './v2a serve' running there?" % target)
            return handlers[args.command](Api(channel, metadata, unary_timeout), args, out)
    except grpc.RpcError as error:
        print("error: %s: %s" % (error.code().name, error.details()), file=sys.stderr)
        return 1
    except (ClientError, OSError) as error:
        print("error: %s" % error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
