#!/usr/bin/env python3
"""Make the `mobilenet` model set's weights: MobileNetV2 1.0 from the ONNX Model Zoo with an `embedding` output.

The zoo file (mobilenetv2-12-int8.onnx, ImageNet, int8, opset 12) only outputs the 1000 class logits. Its
pooled, flattened 1280-d features exist inside the graph as the uint8 tensor `472_quantized` (the Reshape
after global average pooling, quantized with the `464_scale` / `464_zero_point` initializers). This script
adds one DequantizeLinear node with those same initializers and declares its result as the graph output
`embedding` [batch_size, 1280] float32, which is what models/mobilenet/model-set.json names.

Usage (needs the `onnx` package and, unless --zoo-file is given, internet access):
    python3 models/export/mobilenet_embedding.py                       # download, edit, install
    python3 models/export/mobilenet_embedding.py --zoo-file ./mobilenetv2-12-int8.onnx --out DIR

The result goes to ~/.cache/v2astream/models/mobilenet/ by default, one of the folders the program searches
(see models/README.md). The weights are licensed by their authors; never commit them.
"""

import argparse
import hashlib
import os
import sys
import urllib.request

import onnx
from onnx import TensorProto, helper

ZOO_URL = "https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx"
ZOO_SHA256 = "83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f"
FILE_NAME = "mobilenetv2-12-int8-embedding.onnx"
FEATURES = "472_quantized"
SCALE = "464_scale"
ZERO_POINT = "464_zero_point"
OUTPUT = "embedding"
DIM = 1280


def default_out_dir():
    # The same rule as ./v2a and ModelSetCatalog: $V2A_CACHE_DIR, else $XDG_CACHE_HOME/v2astream, else ~/.cache/v2astream.
    cache = os.environ.get("V2A_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "v2astream")
    return os.path.join(cache, "models", "mobilenet")


def read_zoo(path):
    if path:
        with open(path, "rb") as f:
            data = f.read()
    else:
        print(f"downloading {ZOO_URL}", file=sys.stderr)
        with urllib.request.urlopen(ZOO_URL, timeout=120) as response:
            data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != ZOO_SHA256:
        sys.exit(f"error: the zoo file's sha256 is {digest}, expected {ZOO_SHA256}: not the published mobilenetv2-12-int8.onnx")
    return data


def add_embedding_output(model):
    graph = model.graph
    produced = {name for node in graph.node for name in node.output}
    initializers = {init.name for init in graph.initializer}
    missing = [name for name in (FEATURES,) if name not in produced] + [name for name in (SCALE, ZERO_POINT) if name not in initializers]
    if missing:
        sys.exit(f"error: the zoo graph lacks {', '.join(missing)}; it is not the expected mobilenetv2-12-int8")
    if any(output.name == OUTPUT for output in graph.output):
        return model
    graph.node.append(helper.make_node("DequantizeLinear", [FEATURES, SCALE, ZERO_POINT], [OUTPUT], name="embedding_dequantize"))
    graph.output.append(helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch_size", DIM]))
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zoo-file", help="a local copy of mobilenetv2-12-int8.onnx (otherwise it is downloaded)")
    parser.add_argument("--out", default=default_out_dir(), help="folder to write %s into (default: %%(default)s)" % FILE_NAME)
    args = parser.parse_args()

    model = add_embedding_output(onnx.load_from_string(read_zoo(args.zoo_file)))
    onnx.checker.check_model(model)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, FILE_NAME)
    partial = path + ".partial"
    onnx.save(model, partial)
    os.replace(partial, path)
    print(path)


if __name__ == "__main__":
    main()
