#!/usr/bin/env python3
"""Export the CLIP ViT-B/32 image tower (vision transformer + visual projection) to the ONNX file V2AStream's
`onnx-image` embedder loads, and write the model set's "embedder" part.

Needs torch, transformers and onnx (onnxruntime too for the numeric check):
    python models/export/export_clip.py --out models/clip-audioldm                   # openai/clip-vit-base-patch32
    python models/export/export_clip.py --random-init --out /tmp/clip-random         # the real architecture, random weights
    python models/export/export_clip.py --random-init --tiny --out /tmp/clip-tiny    # tiny config, same contract

Writes into --out:
  clip_vit_b32_visual.onnx   pixel_values f32 [B,3,224,224] -> image_embeds f32 [B,512] (CLIP's encode_image: the
                             projected embedding, not normalized)
  model-set.json             its "embedder" part: kind onnx-image, the names above, size 224, resize "clip" (shorter
                             side to 224, bicubic, centre crop) and OpenAI's preprocessing mean/std
Then it runs the graph and the PyTorch model on the same random batches (1 and 3 images) and prints the largest
difference. Check the set with: ./v2a models check DIR. Weights never go into git.
"""
import argparse
import os

import torch

from checks import add_common_arguments, check_graph
from manifest import update_manifest

FILE_NAME = "clip_vit_b32_visual.onnx"
# OpenAI CLIP's preprocessing (CLIPImageProcessor image_mean / image_std).
OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_STD = [0.26862954, 0.26130258, 0.27577711]


class VisualTower(torch.nn.Module):
    """pixel_values -> image_embeds, as CLIPModel.get_image_features computes them."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model(pixel_values=pixel_values).image_embeds


def load(args):
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    if args.random_init:
        # CLIPVisionConfig's defaults are ViT-B/32: 12 layers of width 768, 32-pixel patches of 224x224 images, 512-d projection.
        config = CLIPVisionConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2) if args.tiny else CLIPVisionConfig()
        torch.manual_seed(args.seed)
        return CLIPVisionModelWithProjection(config), OPENAI_MEAN, OPENAI_STD
    from transformers import CLIPImageProcessor

    processor = CLIPImageProcessor.from_pretrained(args.repo)
    if any(abs(a - b) > 1e-6 for a, b in zip(list(processor.image_mean) + list(processor.image_std), OPENAI_MEAN + OPENAI_STD)):
        raise SystemExit(f"{args.repo} preprocesses with mean {processor.image_mean}, std {processor.image_std}: not OpenAI CLIP's")
    return CLIPVisionModelWithProjection.from_pretrained(args.repo), list(processor.image_mean), list(processor.image_std)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default="openai/clip-vit-base-patch32", help="Hugging Face repo of a CLIP ViT-B/32 model")
    parser.add_argument("--out", required=True, help="model-set folder to write")
    parser.add_argument("--seed", type=int, default=0, help="with --random-init: seeds the weights")
    add_common_arguments(parser)
    args = parser.parse_args()

    model, mean, std = load(args)
    model.eval()
    tower = VisualTower(model).eval()
    size = model.config.image_size
    dim = model.config.projection_dim
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, FILE_NAME)
    with torch.no_grad():
        torch.onnx.export(
            tower, (torch.randn(2, 3, size, size),), path,
            input_names=["pixel_values"], output_names=["image_embeds"],
            dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
            opset_version=args.opset)
    for batch in (1, 3):
        check_graph(path, tower, (torch.randn(batch, 3, size, size),), ["pixel_values"], "image_embeds", args.tolerance)

    manifest = update_manifest(args.out, "embedder", {
        "kind": "onnx-image",
        "file": FILE_NAME,
        "input": "pixel_values",
        "output": "image_embeds",
        "size": size,
        "resize": "clip",
        "mean": mean,
        "std": std,
        "dim": dim,
    })
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB); manifest {manifest}. Check it with: ./v2a models check {args.out}")


if __name__ == "__main__":
    main()
