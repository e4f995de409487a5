#!/usr/bin/python3
"""Reference values for the C# DDIM scheduler (tests/V2AStream.Core.Tests/Generation), computed
independently with NumPy in float64 from the formulas in diffusers' DDIMScheduler
(scaled_linear betas 0.0015..0.0195, 1000 training steps, "leading" spacing, steps_offset 1,
set_alpha_to_one False, eta 0, epsilon prediction) as listed in ../shared/reference/models.md.

Run from the repository root:  /usr/bin/python3 tests/reference/make_ddim_reference.py
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN_STEPS = 1000
STEPS = 25
GUIDANCE = 4.5
LATENT = 24


def main():
    betas = np.linspace(0.0015 ** 0.5, 0.0195 ** 0.5, TRAIN_STEPS, dtype=np.float64) ** 2
    alphas_cumprod = np.cumprod(1.0 - betas)
    ratio = TRAIN_STEPS // STEPS
    timesteps = (np.arange(0, STEPS) * ratio).round()[::-1].astype(np.int64) + 1

    # A fixed "model": eps_u and eps_c are closed-form functions of the latent and the step index,
    # so the C# test can reproduce them exactly; guidance mixes them as in the pipeline.
    j = np.arange(LATENT, dtype=np.float64)
    x = ((j * 7) % 11 - 5) / 5.0
    trajectory = [x.astype(np.float32).tolist()]
    for step, t in enumerate(timesteps):
        eps_u = 0.5 * x + 0.1 * np.sin(j + step)
        eps_c = 0.4 * x + 0.1 * np.cos(j - step)
        eps = eps_u + GUIDANCE * (eps_c - eps_u)
        prev = t - ratio
        a_t = alphas_cumprod[t]
        a_prev = alphas_cumprod[prev] if prev >= 0 else alphas_cumprod[0]
        x0 = (x - np.sqrt(1 - a_t) * eps) / np.sqrt(a_t)
        x = np.sqrt(a_prev) * x0 + np.sqrt(1 - a_prev) * eps
        trajectory.append(x.astype(np.float32).tolist())

    indices = [0, 1, 40, 500, 961, 999]
    reference = {
        "timesteps": timesteps.tolist(),
        "alphas_cumprod_indices": indices,
        "alphas_cumprod": [float(alphas_cumprod[i]) for i in indices],
        "guidance": GUIDANCE,
        "trajectory": trajectory,
    }
    with open(os.path.join(HERE, "ddim_reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
