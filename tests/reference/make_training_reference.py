#!/usr/bin/python3
"""Golden values for the C# mapper trainer (tests/V2AStream.Core.Tests/Training/TrainingFidelityTests.cs), from PyTorch.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch; 1.13 was used):
    /usr/bin/python3 tests/reference/make_training_reference.py

It trains V2A-SceneDetector's Table I MLP (nn.Sequential(Linear(512,1024), ReLU(), Linear(1024,512), Linear(512,512),
Linear(512,512))) with nn.MSELoss and torch.optim.AdamW (betas 0.9/0.999, eps 1e-8, weight decay 0.01) for 50 steps
of 64-pair batches (the last batch of each pass over the 200 pairs has 8), in float32 on one thread, and writes
training_reference.json: the batches (row indices), the 50 losses, and for every tensor its sum, sum of absolute values,
row sums (weights) and some slices of its values before and after training. The initial weights and the data are not stored: both this
script and the test build them from the same integer formulas (exact in float64, so both round them to the same
float32 values), and the slices of the initial weights let the test check that it did.

The same run in float64 is recorded too ("float64"): how far float32 PyTorch itself is from exact arithmetic, the floor
under any comparison of two float32 implementations. At lr 1e-4 (the default) it is below 5e-6 of each tensor's largest
value; at lr 1e-3 it grows to 2e-3 (Adam's first steps move a weight by about lr whatever the size of its gradient, so a
gradient near zero whose sign depends on rounding moves its weight by ±lr), which is why the reference uses the default.
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
LAYERS = [(0, 512, 1024), (2, 1024, 512), (3, 512, 512), (4, 512, 512)]  # nn.Sequential index, in, out
PAIRS = 200
BATCH = 64
STEPS = 50
LEARNING_RATE = 1e-4  # the paper's and the trainer's default
WEIGHT_DECAY = 0.01
SLICE = 64
SAMPLES = 128


def initial_weight(layer, rows, cols):
    # Within ±1/sqrt(in), like nn.Linear's own initialization; quadratic terms keep the matrix from being low rank.
    i = np.arange(rows, dtype=np.int64)[:, None]
    j = np.arange(cols, dtype=np.int64)[None, :]
    k = (i * i * 7 + j * j * 3 + i * j * 5 + i * 131 + j * 71 + layer * 37) % 197
    return ((k - 98).astype(np.float64) / 98.0 / np.sqrt(float(cols))).astype(np.float32)


def initial_bias(layer, rows, cols):
    i = np.arange(rows, dtype=np.int64)
    k = (i * i * 3 + i * 53 + layer * 11) % 101
    return ((k - 50).astype(np.float64) / 50.0 / np.sqrt(float(cols))).astype(np.float32)


def inputs():
    # Mean-CLIP-like rows: values of about ±0.5 (a CLIP ViT-B/32 image embedding has norm about 10).
    n = np.arange(PAIRS, dtype=np.int64)[:, None]
    j = np.arange(512, dtype=np.int64)[None, :]
    k = (n * n * 5 + j * j * 11 + n * j * 3 + n * 37 + j * 13) % 89
    return ((k - 44).astype(np.float64) / 88.0).astype(np.float32)


def targets():
    # Unit-length rows, like the normalized CLAP embeddings the trainer's targets are.
    n = np.arange(PAIRS, dtype=np.int64)[:, None]
    j = np.arange(512, dtype=np.int64)[None, :]
    k = (n * n * 13 + j * j * 7 + n * j + n * 29 + j * 17) % 83
    t = (k - 41).astype(np.float64)
    return (t / np.linalg.norm(t, axis=1, keepdims=True)).astype(np.float32)


def batches():
    # Each pass over the pairs takes them in the order (i * a + c) mod 200, a coprime to 200.
    multipliers = [3, 7, 9, 11, 13, 17, 19, 21, 23, 27, 29, 31, 33]
    result = []
    epoch = 0
    while len(result) < STEPS:
        a = multipliers[epoch % len(multipliers)]
        order = [(i * a + 17 * epoch) % PAIRS for i in range(PAIRS)]
        for first in range(0, PAIRS, BATCH):
            result.append(order[first:first + BATCH])
        epoch += 1
    return result[:STEPS]


def model(dtype):
    net = torch.nn.Sequential(torch.nn.Linear(512, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 512),
                              torch.nn.Linear(512, 512), torch.nn.Linear(512, 512)).to(dtype)
    with torch.no_grad():
        for index, cols, rows in LAYERS:
            net[index].weight.copy_(torch.from_numpy(initial_weight(index, rows, cols)))
            net[index].bias.copy_(torch.from_numpy(initial_bias(index, rows, cols)))
    return net


def train(dtype):
    net = model(dtype)
    optimizer = torch.optim.AdamW(net.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)
    loss_fn = torch.nn.MSELoss()
    x = torch.from_numpy(inputs()).to(dtype)
    t = torch.from_numpy(targets()).to(dtype)
    losses = []
    for rows in batches():
        index = torch.tensor(rows, dtype=torch.long)
        optimizer.zero_grad()
        loss = loss_fn(net(x[index]), t[index])
        loss.backward()
        optimizer.step()
        losses.append(float(loss.item()))
    return net, losses


def sample_indices(count):
    return sorted(set(np.linspace(0, count - 1, SAMPLES).round().astype(np.int64).tolist()))


def describe(values):
    flat = values.reshape(-1)
    middle = flat.size // 2
    samples = sample_indices(flat.size)
    return {
        "shape": list(values.shape),
        "sum": float(flat.astype(np.float64).sum()),
        "sum_abs": float(np.abs(flat.astype(np.float64)).sum()),
        "max_abs": float(np.abs(flat).max()),
        "slices": {str(start): flat[start:start + SLICE].astype(np.float64).tolist() for start in (0, middle, flat.size - SLICE)},
        "samples": {"indices": samples, "values": flat[samples].astype(np.float64).tolist()},
        "row_sums": values.astype(np.float64).sum(axis=-1).tolist() if values.ndim == 2 else None,
    }


def tensors(net):
    result = {}
    for index, _, _ in LAYERS:
        result[f"{index}.weight"] = net[index].weight.detach().double().numpy()
        result[f"{index}.bias"] = net[index].bias.detach().double().numpy()
    return result


def main():
    torch.set_num_threads(1)
    initial = tensors(model(torch.float32))
    net32, losses32 = train(torch.float32)
    net64, losses64 = train(torch.float64)
    trained32 = tensors(net32)
    trained64 = tensors(net64)

    # How far float32 PyTorch is from the float64 run: per tensor, the largest difference over the tensor's largest value.
    floor = {name: float(np.abs(trained32[name] - trained64[name]).max() / np.abs(trained64[name]).max()) for name in trained32}
    loss_floor = max(abs(a - b) / abs(b) for a, b in zip(losses32, losses64))

    reference = {
        "torch": torch.__version__,
        "pairs": PAIRS,
        "batch_size": BATCH,
        "learning_rate": LEARNING_RATE,
        "weight_decay": WEIGHT_DECAY,
        "betas": [0.9, 0.999],
        "eps": 1e-8,
        "batches": batches(),
        "losses": losses32,
        "initial": {name: describe(values.astype(np.float32)) for name, values in initial.items()},
        "trained": {name: describe(values.astype(np.float32)) for name, values in trained32.items()},
        "float64": {"losses": losses64, "max_relative_loss_difference": loss_floor, "max_difference_over_max_abs": floor},
    }
    with open(os.path.join(HERE, "training_reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))
    print(f"losses {losses32[0]:.6g} -> {losses32[-1]:.6g}; float32 vs float64: losses {loss_floor:.2e}, weights up to {max(floor.values()):.2e}")


if __name__ == "__main__":
    main()
