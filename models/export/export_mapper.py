#!/usr/bin/env python3
"""Write the mapper part of a model set in the form V2AStream reads.

Run on a machine with torch (+ transformers and diffusers for `prototype`). `v2a train mapper` writes the mlp file
itself; this script is for a Table I mapper trained elsewhere with PyTorch.

  mlp: a trained V2A-SceneDetector Table I mapper (CLIP 512 -> CLAP 512) saved with torch.save(model.state_dict())
       where model = nn.Sequential(Linear(512,1024), ReLU(), Linear(1024,512), Linear(512,512), Linear(512,512)):
         python models/export/export_mapper.py mlp --checkpoint mapper.pt --out DIR
       writes DIR/mapper.safetensors ("0.weight" [1024,512], "0.bias", "2.*", "3.*", "4.*") and the manifest's
       "mapper" part. Shapes are checked here, and again when V2AStream loads the file.

  prototype: the zero-shot mapper, from a label list (one label per line), with CLIP ViT-B/32 text embeddings and
       the CLAP text embeddings of the AudioLDM pipeline's own text encoder:
         python models/export/export_mapper.py prototype --labels labels.txt --out DIR [--temperature 100]
       writes DIR/prototype.safetensors ("clip_text" [N,512], "clap_text" [N,512], __metadata__ labels/temperature).

  Both take --random-init: mlp writes a Table I mapper with PyTorch's initial weights instead of reading a checkpoint
  (torch only); prototype embeds the labels with randomly initialized CLIP ViT-B/32 and CLAP text towers (transformers'
  default configs, the labels' UTF-8 bytes as token ids since no tokenizer is downloaded). --tiny makes the towers tiny.
"""
import argparse
import json
import os

import torch

from checks import write_safetensors
from manifest import update_manifest

TABLE_I = [("0", 512, 1024), ("2", 1024, 512), ("3", 512, 512), ("4", 512, 512)]


def table_i():
    return torch.nn.Sequential(torch.nn.Linear(512, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 512),
                               torch.nn.Linear(512, 512), torch.nn.Linear(512, 512))


def export_mlp(args):
    if args.random_init:
        torch.manual_seed(args.seed)
        state, prefix = table_i().state_dict(), ""
    else:
        if not args.checkpoint:
            raise SystemExit("mlp needs --checkpoint (or --random-init)")
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
    write_safetensors(os.path.join(args.out, "mapper.safetensors"), tensors)
    update_manifest(args.out, "mapper", {"kind": "mlp", "file": "mapper.safetensors"})


def random_text_towers(tiny, seed):
    """CLIP and CLAP text towers with random weights, and a stand-in tokenizer (UTF-8 bytes + 3 as token ids)."""
    from transformers import ClapTextConfig, ClapTextModelWithProjection, CLIPTextConfig, CLIPTextModelWithProjection

    torch.manual_seed(seed)
    small = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64) if tiny else {}
    clip = CLIPTextModelWithProjection(CLIPTextConfig(**small)).eval()
    clap = ClapTextModelWithProjection(ClapTextConfig(**small)).eval()

    def tokens(prompts):
        rows = [[0] + [b + 3 for b in p.encode("utf-8")][:60] + [2] for p in prompts]
        width = max(len(r) for r in rows)
        ids = torch.tensor([r + [1] * (width - len(r)) for r in rows])
        return ids, (ids != 1).long()

    def clip_text(prompts):
        ids, mask = tokens(prompts)
        return clip(input_ids=ids, attention_mask=mask).text_embeds

    def clap_text(prompts):
        ids, mask = tokens(prompts)
        return clap(input_ids=ids, attention_mask=mask).text_embeds

    return clip_text, clap_text


def pretrained_text_towers(repo):
    from transformers import CLIPModel, CLIPTokenizer
    from diffusers import AudioLDMPipeline

    clip = CLIPModel.from_pretrained("openai/clip-vit-base-patch32").eval()
    clip_tokenizer = CLIPTokenizer.from_pretrained("openai/clip-vit-base-patch32")
    pipe = AudioLDMPipeline.from_pretrained(repo, torch_dtype=torch.float32)

    def clip_text(prompts):
        return clip.get_text_features(**clip_tokenizer(prompts, padding=True, return_tensors="pt"))

    def clap_text(prompts):
        tokens = pipe.tokenizer(prompts, padding="max_length", max_length=pipe.tokenizer.model_max_length, truncation=True, return_tensors="pt")
        return pipe.text_encoder(tokens.input_ids, attention_mask=tokens.attention_mask).text_embeds

    return clip_text, clap_text


def export_prototype(args):
    with open(args.labels) as f:
        labels = [line.strip() for line in f if line.strip()]
    prompts = [args.template.format(label) for label in labels]
    clip_text, clap_text = random_text_towers(args.tiny, args.seed) if args.random_init else pretrained_text_towers(args.repo)
    with torch.no_grad():
        clip_table = clip_text(prompts)
        clap_table = torch.nn.functional.normalize(clap_text(prompts), dim=-1)
    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, "prototype.safetensors"), {"clip_text": clip_table, "clap_text": clap_table},
                      metadata={"labels": json.dumps(labels), "temperature": str(args.temperature)})
    update_manifest(args.out, "mapper", {"kind": "prototype", "file": "prototype.safetensors", "temperature": args.temperature})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="kind", required=True)
    mlp = sub.add_parser("mlp")
    mlp.add_argument("--checkpoint", help="torch.save(model.state_dict()) of the Table I mapper")
    mlp.add_argument("--prefix", default="", help="state-dict key prefix, e.g. 'mapper.'")
    mlp.add_argument("--out", required=True)
    proto = sub.add_parser("prototype")
    proto.add_argument("--labels", required=True)
    proto.add_argument("--template", default="the sound of {}")
    proto.add_argument("--temperature", type=float, default=100.0)
    proto.add_argument("--repo", default="cvssp/audioldm-s-full-v2")
    proto.add_argument("--out", required=True)
    for mode in (mlp, proto):
        mode.add_argument("--random-init", action="store_true", help="random weights from the architecture's config: nothing is read or downloaded")
        mode.add_argument("--tiny", action="store_true", help="with --random-init (prototype): tiny text towers")
        mode.add_argument("--seed", type=int, default=0, help="with --random-init: seeds the weights")
    args = parser.parse_args()
    (export_mlp if args.kind == "mlp" else export_prototype)(args)
    print(f"wrote the mapper of {args.out}. Check it with: ./v2a models check {args.out}")


if __name__ == "__main__":
    main()
