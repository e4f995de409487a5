#!/usr/bin/python3
"""Reference outputs for the C# mappers (tests/V2AStream.Core.Tests/Mapping), computed with NumPy.

Run from the repository root:  /usr/bin/python3 tests/reference/make_mapper_reference.py

The Table I MLP weights (512->1024->ReLU->512->512->512, about 4.7 MB in fp32) are not committed.
Both this script and the C# test build them from the same integer formula (see mlp_weight), which
is exact in float64 and so rounds to identical float32 values on both sides. The C# test writes them
into a safetensors file and loads it through the real parser. The prototype tables are small and are
committed as safetensors files written here (F32 and F16), so the parser is also tested on files it
did not write itself.
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LAYERS = [(0, 512, 1024), (2, 1024, 512), (3, 512, 512), (4, 512, 512)]  # nn.Sequential indices, in, out
LABELS = ["rain", "crowd", "engine", "birds", "music", "wind"]
TEMPERATURE = 20.0


def mlp_weight(layer, rows, cols):
    i = np.arange(rows, dtype=np.int64)[:, None]
    j = np.arange(cols, dtype=np.int64)[None, :]
    w = (((i * 131 + j * 71 + layer * 37) % 197) - 98).astype(np.float64) / 98.0 / np.sqrt(float(cols))
    return w.astype(np.float32)


def mlp_bias(layer, rows):
    i = np.arange(rows, dtype=np.int64)
    return ((((i * 53 + layer * 11) % 101) - 50).astype(np.float64) / 500.0).astype(np.float32)


def inputs():
    # Raw CLIP-like vectors (not normalized), one of them large like a mean CLIP image embedding.
    rows = []
    for n in range(4):
        j = np.arange(512, dtype=np.int64)
        v = (((j * (17 + 6 * n) + 5 * n) % 89) - 44).astype(np.float64) / 44.0 * (1.0 + 4.0 * n)
        rows.append(v.astype(np.float32))
    return np.stack(rows)


def table(seed_a, seed_b, rows=len(LABELS), cols=512):
    i = np.arange(rows, dtype=np.int64)[:, None]
    j = np.arange(cols, dtype=np.int64)[None, :]
    return ((((i * seed_a + j * seed_b + i * j) % 61) - 30).astype(np.float64) / 30.0).astype(np.float32)


def mlp(x):
    h = x.astype(np.float64)
    for index, (layer, cols, rows) in enumerate(LAYERS):
        h = h @ mlp_weight(layer, rows, cols).astype(np.float64).T + mlp_bias(layer, rows)
        if index == 0:
            h = np.maximum(h, 0.0)
    return h / np.linalg.norm(h, axis=1, keepdims=True)


def prototype(x, clip_text, clap_text, temperature):
    x = x.astype(np.float64)
    clip = clip_text.astype(np.float64)
    clap = clap_text.astype(np.float64)
    cos = (x @ clip.T) / (np.linalg.norm(x, axis=1, keepdims=True) * np.linalg.norm(clip, axis=1)[None, :])
    logits = temperature * cos
    w = np.exp(logits - logits.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    out = w @ clap
    return out / np.linalg.norm(out, axis=1, keepdims=True), w


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        dtype = {np.float32: "F32", np.float16: "F16"}[array.dtype.type]
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def main():
    x = inputs()
    clip_text = table(7, 3)
    clap_text = table(5, 11)
    metadata = {"labels": json.dumps(LABELS), "temperature": str(TEMPERATURE)}
    write_safetensors(os.path.join(HERE, "prototype_f32.safetensors"), {"clip_text": clip_text, "clap_text": clap_text}, metadata)
    write_safetensors(os.path.join(HERE, "prototype_f16.safetensors"),
                      {"clip_text": clip_text.astype(np.float16), "clap_text": clap_text.astype(np.float16)}, metadata)
    proto32, weights32 = prototype(x, clip_text, clap_text, TEMPERATURE)
    proto16, _ = prototype(x, clip_text.astype(np.float16), clap_text.astype(np.float16), TEMPERATURE)
    reference = {
        "inputs": x.tolist(),
        "mlp": mlp(x).astype(np.float32).tolist(),
        "prototype_f32": proto32.astype(np.float32).tolist(),
        "prototype_f32_weights": weights32.tolist(),
        "prototype_f16": proto16.astype(np.float32).tolist(),
        "labels": LABELS,
        "temperature": TEMPERATURE,
    }
    with open(os.path.join(HERE, "mapper_reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
