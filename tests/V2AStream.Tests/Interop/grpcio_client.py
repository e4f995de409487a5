#!/usr/bin/python3
"""Interop client for the gRPC stack tests: Debian's python3-grpcio against the daemon's Kestrel server.

No generated stubs (grpcio-tools is not packaged): grpc's generic API with protobuf messages
encoded and decoded by hand. Prints one JSON object describing what the call returned.

usage: grpcio_client.py TARGET CASE     e.g. grpcio_client.py 127.0.0.1:5001 unary
"""
import json
import sys

import grpc

ECHO = "/v2astream.testing.echo.Echo/"


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_bytes(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_int(number, value):
    return varint(number << 3) + varint(value)


def decode(data):
    """Protobuf wire format to {field number: [values]} (bytes for length-delimited, int for varint)."""
    fields, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = read_varint(data, i)
        elif wire_type == 2:
            length, i = read_varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise ValueError("unexpected wire type %d" % wire_type)
        fields.setdefault(number, []).append(value)
    return fields


def read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


def echo_request(text="", payload=b"", repeat=0, fail_code=0, fail_message=""):
    out = b""
    if text:
        out += field_bytes(1, text.encode())
    if payload:
        out += field_bytes(2, payload)
    if repeat:
        out += field_int(3, repeat)
    if fail_code:
        out += field_int(4, fail_code)
    if fail_message:
        out += field_bytes(5, fail_message.encode())
    return out


def echo_reply(data):
    fields = decode(data)
    return {
        "text": fields.get(1, [b""])[0].decode(),
        "payload_length": len(fields.get(2, [b""])[0]),
        "index": fields.get(3, [0])[0],
        "total_bytes": fields.get(4, [0])[0],
        "message_count": fields.get(5, [0])[0],
    }


def identity(data):
    return data


def call(channel, kind, path):
    factory = getattr(channel, kind)
    return factory(path, request_serializer=identity, response_deserializer=identity)


def error(rpc_error):
    return {"code": rpc_error.code().name, "details": rpc_error.details()}


def run(channel, case):
    if case == "unary":
        reply = call(channel, "unary_unary", ECHO + "Unary")(echo_request("héllo", b"\x00\x01" * 50000), timeout=30)
        return echo_reply(reply)
    if case == "unary_gzip":
        reply = call(channel, "unary_unary", ECHO + "Unary")(
            echo_request("zipped", b"a" * 200000), timeout=30, compression=grpc.Compression.Gzip)
        return echo_reply(reply)
    if case == "server_stream":
        replies = call(channel, "unary_stream", ECHO + "ServerStream")(echo_request("s", b"x" * 1000, repeat=100), timeout=30)
        return {"indexes": [echo_reply(r)["index"] for r in replies]}
    if case == "client_stream":
        requests = (echo_request("c", b"y" * 10000) for _ in range(300))
        return echo_reply(call(channel, "stream_unary", ECHO + "ClientStream")(requests, timeout=30))
    if case == "duplex":
        requests = (echo_request(str(i), b"z" * (i * 1000)) for i in range(20))
        replies = call(channel, "stream_stream", ECHO + "Duplex")(requests, timeout=30)
        return {"replies": [[r["text"], r["payload_length"], r["index"]] for r in map(echo_reply, replies)]}
    if case == "status":
        try:
            call(channel, "unary_unary", ECHO + "Unary")(
                echo_request(fail_code=5, fail_message="scène introuvable ✓ 100%"), timeout=30)
        except grpc.RpcError as e:
            return error(e)
        return {"code": "OK"}
    if case == "stream_status":
        received = 0
        try:
            for _ in call(channel, "unary_stream", ECHO + "ServerStream")(
                    echo_request(repeat=3, fail_code=10, fail_message="stopped"), timeout=30):
                received += 1
        except grpc.RpcError as e:
            return dict(error(e), received=received)
        return {"code": "OK", "received": received}
    if case == "unknown":
        try:
            call(channel, "unary_unary", "/no.such.Service/Method")(b"", timeout=30)
        except grpc.RpcError as e:
            return error(e)
        return {"code": "OK"}
    if case == "deadline":
        try:
            call(channel, "unary_unary", ECHO + "Wait")(echo_request("python-deadline"), timeout=0.3)
        except grpc.RpcError as e:
            return error(e)
        return {"code": "OK"}
    if case == "health":
        check = call(channel, "unary_unary", "/grpc.health.v1.Health/Check")
        serving = decode(check(b"", timeout=30)).get(1, [0])[0]
        try:
            check(field_bytes(1, b"no.such.Service"), timeout=30)
            unknown = "OK"
        except grpc.RpcError as e:
            unknown = e.code().name
        watch = call(channel, "unary_stream", "/grpc.health.v1.Health/Watch")(b"", timeout=30)
        first = decode(next(watch)).get(1, [0])[0]
        watch.cancel()
        return {"serving": serving, "unknown": unknown, "watch_first": first}
    if case in ("reflection_v1", "reflection_v1alpha"):
        version = case.split("_")[1]
        path = "/grpc.reflection.%s.ServerReflection/ServerReflectionInfo" % version
        requests = iter([field_bytes(7, b""), field_bytes(4, b"v2astream.testing.echo.Echo")])
        responses = list(call(channel, "stream_stream", path)(requests, timeout=30))
        listing = decode(decode(responses[0])[6][0])
        services = [decode(s)[1][0].decode() for s in listing.get(1, [])]
        files = decode(decode(responses[1])[4][0])[1]
        return {"services": services, "symbol_file_name": decode(files[0])[1][0].decode()}
    raise SystemExit("unknown case " + case)


def main():
    target, case = sys.argv[1], sys.argv[2]
    # Loopback only: never route a test through a proxy from the environment.
    with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        print(json.dumps(run(channel, case), ensure_ascii=False))


if __name__ == "__main__":
    main()
