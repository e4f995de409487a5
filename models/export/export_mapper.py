#!/usr/bin/env python3
"""Write the mapper part of a model set in the form V2AStream reads.

Run on a machine with torch + safetensors (+ transformers and diffusers for `prototype`):

  mlp: a trained V2A-SceneDetector Table I mapper (CLIP 512 -> CLAP 512) saved with torch.save(model.state_dict())
       where model = nn.Sequential(Linear(512,1024), ReLU(), Linear(1024,512), Linear(512,512), Linear(512,512)):
         python models/export/export_mapper.py mlp --checkpoint mapper.pt --out DIR
       writes DIR/mapper.safetensors ("0.weight" [1024,512], "0.bias", "2.*", "3.*", "4.*") and the manifest's
       "mapper" part. Shapes are checked here, and again when V2AStream loads the file.

  prototype: the zero-shot mapper, from a label list (one label per line), with CLIP ViT-B/32 text embeddings and
       the CLAP text embeddings of the AudioLDM pipeline's own text encoder:
         python models/export/export_mapper.py prototype --labels labels.txt --out DIR [--temperature 100]
       writes DIR/prototype.safetensors ("clip_text" [N,512], "clap_text" [N,512], __metadata__ labels/temperature).
"""
import argparse
import json
import os

import torch

from manifest import update_manifest

TABLE_I = [("0", 512, 1024), ("2", 1024, 512), ("3", 512, 512), ("4", 512, 512)]


def export_mlp(args):
    from safetensors.torch import save_file

    state = torch.load(args.checkpoint, map_location="cpu")
    if "state_dict" in state:
        state = state["state_dict"]
    prefix = args.prefix
    tensors = {}
    for index, inputs, outputs in TABLE_I:
        weight = state[f"{prefix}{index}.weight"].float().contiguous()
        bias = state[f"{prefix}{index}.bias"].float().contiguous()
        if tuple(weight.shape) != (outputs, inputs) or tuple(bias.shape) != (outputs,):
            raise SystemExit(f"layer {index}: weight {tuple(weight.shape)}, bias {tuple(bias.shape)}; Table I needs ({outputs}, {inputs}) and ({outputs},)")
        tensors[f"{index}.weight"] = weight
        tensors[f"{index}.bias"] = bias
    os.makedirs(args.out, exist_ok=True)
    save_file(tensors, os.path.join(args.out, "mapper.safetensors"))
    update_manifest(args.out, "mapper", {"kind": "mlp", "file": "mapper.safetensors"})


def export_prototype(args):
    from safetensors.torch import save_file
    from transformers import CLIPModel, CLIPTokenizer
    from diffusers import AudioLDMPipeline

    with open(args.labels) as f:
        labels = [line.strip() for line in f if line.strip()]
    prompts = [args.template.format(label) for label in labels]
    with torch.no_grad():
        clip = CLIPModel.from_pretrained("openai/clip-vit-base-patch32").eval()
        clip_tokens = CLIPTokenizer.from_pretrained("openai/clip-vit-base-patch32")(prompts, padding=True, return_tensors="pt")
        clip_text = clip.get_text_features(**clip_tokens)
        pipe = AudioLDMPipeline.from_pretrained(args.repo, torch_dtype=torch.float32)
        clap_tokens = pipe.tokenizer(prompts, padding="max_length", max_length=pipe.tokenizer.model_max_length, truncation=True, return_tensors="pt")
        clap_text = pipe.text_encoder(clap_tokens.input_ids, attention_mask=clap_tokens.attention_mask).text_embeds
        clap_text = torch.nn.functional.normalize(clap_text, dim=-1)
    os.makedirs(args.out, exist_ok=True)
    save_file({"clip_text": clip_text.float().contiguous(), "clap_text": clap_text.float().contiguous()},
              os.path.join(args.out, "prototype.safetensors"),
              metadata={"labels": json.dumps(labels), "temperature": str(args.temperature)})
    update_manifest(args.out, "mapper", {"kind": "prototype", "file": "prototype.safetensors", "temperature": args.temperature})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="kind", required=True)
    mlp = sub.add_parser("mlp")
    mlp.add_argument("--checkpoint", required=True)
    mlp.add_argument("--prefix", default="", help="state-dict key prefix, e.g. 'mapper.'")
    mlp.add_argument("--out", required=True)
    proto = sub.add_parser("prototype")
    proto.add_argument("--labels", required=True)
    proto.add_argument("--template", default="the sound of {}")
    proto.add_argument("--temperature", type=float, default=100.0)
    proto.add_argument("--repo", default="cvssp/audioldm-s-full-v2")
    proto.add_argument("--out", required=True)
    args = parser.parse_args()
    (export_mlp if args.kind == "mlp" else export_prototype)(args)
    print(f"wrote the mapper of {args.out}. Check it with: ./v2a models check {args.out}")


if __name__ == "__main__":
    main()
