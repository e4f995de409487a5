"""Shared by the export scripts: the --random-init/--tiny options, and the check of an exported ONNX graph against the
PyTorch module it came from (onnx.checker, then ONNX Runtime on the same random input when onnxruntime is installed,
printing the largest absolute difference)."""
import os

import numpy as np
import torch


def add_common_arguments(parser):
    parser.add_argument("--random-init", action="store_true",
                        help="build the real architecture from its config with random weights: nothing is downloaded")
    parser.add_argument("--tiny", action="store_true",
                        help="with --random-init: a tiny config with the same input/output contract, for tests")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--tolerance", type=float, default=1e-3,
                        help="largest |onnx - torch| allowed, relative to the largest |torch| value (at least 1)")


def check_graph(path, module, inputs, input_names, output_name, tolerance):
    """Checks the ONNX file, then runs it and the module on `inputs` (a tuple of tensors) and compares one output.
    Returns the largest absolute difference, or None when onnxruntime is not installed. Exits when it exceeds the
    tolerance."""
    import onnx

    onnx.checker.check_model(path)  # a path, so graphs over 2 GB (external data) are checked too
    name = os.path.basename(path)
    try:
        import onnxruntime
    except ImportError:
        print(f"{name}: onnx.checker passed; numeric check skipped: onnxruntime is not installed (pip install onnxruntime)")
        return None
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    with torch.no_grad():
        expected = module(*inputs).float().numpy()
    actual = session.run([output_name], {n: t.numpy() for n, t in zip(input_names, inputs)})[0]
    if actual.shape != expected.shape:
        raise SystemExit(f"{name}: ONNX output {output_name} has shape {actual.shape}, PyTorch {expected.shape}")
    difference = float(np.abs(actual - expected).max())
    scale = float(np.abs(expected).max())
    shapes = ", ".join(f"{n} {list(t.shape)}" for n, t in zip(input_names, inputs))
    print(f"{name}: max |onnx - torch| = {difference:.3g} (largest |torch| {scale:.3g}) on random {shapes}")
    if difference > tolerance * max(1.0, scale):
        raise SystemExit(f"{name}: the exported graph differs from PyTorch by {difference:.3g}, over the tolerance {tolerance}")
    return difference


def write_safetensors(path, tensors, metadata=None):
    """Writes float32 tensors (name -> torch tensor) in the safetensors format without the safetensors package:
    u64 little-endian header length, JSON header padded to 8 bytes, raw little-endian data."""
    import json
    import struct

    header = {"__metadata__": metadata} if metadata else {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    partial = path + ".partial"
    with open(partial, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
    os.replace(partial, path)
