#!/usr/bin/python3
"""Reference server for bench/Streaming: Debian's python3-grpcio echoing Echo/Duplex messages.

No generated stubs (grpcio-tools is not packaged): the generic handler API with identity
serializers, so each request's bytes go back unchanged (our server's reply to the same
request serializes to the same bytes). Prints the bound port, then serves until stdin closes.

usage: grpcio_echo_server.py            (binds 127.0.0.1 on a free port)
"""
import sys
from concurrent import futures

import grpc


def duplex(request_iterator, context):
    for request in request_iterator:
        yield request


def main():
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_receive_message_length", 8 * 1024 * 1024)],
    )
    handler = grpc.method_handlers_generic_handler(
        "v2astream.testing.echo.Echo",
        {"Duplex": grpc.stream_stream_rpc_method_handler(duplex)},
    )
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    sys.stdin.read()
    server.stop(grace=None)


if __name__ == "__main__":
    main()
