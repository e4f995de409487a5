#!/usr/bin/env python3
"""Export AudioLDM (diffusers AudioLDMPipeline) to the ONNX files V2AStream's `audioldm` generator loads.

Run once on a machine with internet access and torch + diffusers + transformers + safetensors + onnx:
    pip install torch diffusers transformers safetensors onnx
    python models/export/export_audioldm.py --repo cvssp/audioldm-s-full-v2 --out models/audioldm-s-full-v2

Writes into --out:
  unet.onnx                  sample [2B,8,T,16] f32, timestep [2B] f32, class_labels [2B,512] f32 -> out_sample [2B,8,T,16]
  vae_decoder.onnx           latent [B,8,T,16] f32 -> mel [B,1,4T,64]
  vocoder.onnx               mel [B,4T,64] f32 -> waveform [B,160*4T]
  unconditional.safetensors  "embedding" [512]: the L2-normalized CLAP text embedding of "" (the pipeline's
                             negative prompt when none is given)
  model-set.json             its "generator" part (scaling factor read from the VAE config)
Then check it: ./v2a models check DIR. Weights never go into git.
"""
import argparse
import os

import torch
import torch.nn.functional as F

from manifest import update_manifest


class Unet(torch.nn.Module):
    """AudioLDMPipeline.__call__ calls unet(latents, t, encoder_hidden_states=None, class_labels=prompt_embeds)."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, class_labels):
        return self.unet(sample, timestep, encoder_hidden_states=None, class_labels=class_labels, return_dict=False)[0]


class VaeDecoder(torch.nn.Module):
    """AudioLDMPipeline.decode_latents without the 1/scaling_factor (V2AStream divides before the call)."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent):
        return self.vae.decode(latent).sample


class Vocoder(torch.nn.Module):
    """AudioLDMPipeline.mel_spectrogram_to_waveform on an already squeezed [B,F,64] mel."""

    def __init__(self, vocoder):
        super().__init__()
        self.vocoder = vocoder

    def forward(self, mel):
        return self.vocoder(mel)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default="cvssp/audioldm-s-full-v2", help="Hugging Face repo of an AudioLDM diffusers pipeline")
    parser.add_argument("--out", required=True, help="model-set folder to write")
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--guidance", type=float, default=4.5)
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args()

    from diffusers import AudioLDMPipeline

    os.makedirs(args.out, exist_ok=True)
    pipe = AudioLDMPipeline.from_pretrained(args.repo, torch_dtype=torch.float32).to("cpu")
    pipe.unet.eval()
    pipe.vae.eval()
    pipe.vocoder.eval()

    frames = 64  # 2.56 s; T is exported as a dynamic axis (multiples of 8)
    with torch.no_grad():
        sample = torch.randn(2, 8, frames, 16)
        timestep = torch.full((2,), 961.0)
        labels = F.normalize(torch.randn(2, 512), dim=-1)
        torch.onnx.export(
            Unet(pipe.unet), (sample, timestep, labels), os.path.join(args.out, "unet.onnx"),
            input_names=["sample", "timestep", "class_labels"], output_names=["out_sample"],
            dynamic_axes={"sample": {0: "batch", 2: "frames"}, "timestep": {0: "batch"},
                          "class_labels": {0: "batch"}, "out_sample": {0: "batch", 2: "frames"}},
            opset_version=args.opset)

        latent = torch.randn(1, 8, frames, 16)
        torch.onnx.export(
            VaeDecoder(pipe.vae), (latent,), os.path.join(args.out, "vae_decoder.onnx"),
            input_names=["latent"], output_names=["mel"],
            dynamic_axes={"latent": {0: "batch", 2: "frames"}, "mel": {0: "batch", 2: "mel_frames"}},
            opset_version=args.opset)

        mel = torch.randn(1, 4 * frames, 64)
        torch.onnx.export(
            Vocoder(pipe.vocoder), (mel,), os.path.join(args.out, "vocoder.onnx"),
            input_names=["mel"], output_names=["waveform"],
            dynamic_axes={"mel": {0: "batch", 1: "mel_frames"}, "waveform": {0: "batch", 1: "samples"}},
            opset_version=args.opset)

        # The empty-prompt CLAP embedding, as AudioLDMPipeline._encode_prompt makes it for the uncond half.
        tokens = pipe.tokenizer([""], padding="max_length", max_length=pipe.tokenizer.model_max_length, truncation=True, return_tensors="pt")
        embedding = pipe.text_encoder(tokens.input_ids, attention_mask=tokens.attention_mask).text_embeds
        embedding = F.normalize(embedding, dim=-1)[0].contiguous()

    from safetensors.torch import save_file
    save_file({"embedding": embedding}, os.path.join(args.out, "unconditional.safetensors"))

    path = update_manifest(args.out, "generator", {
        "kind": "audioldm",
        "unet": "unet.onnx",
        "vae_decoder": "vae_decoder.onnx",
        "vocoder": "vocoder.onnx",
        "unconditional": "unconditional.safetensors",
        "scaling_factor": float(pipe.vae.config.scaling_factor),
        "steps": args.steps,
        "guidance": args.guidance,
        "sample_rate": 16000,
    }, name=os.path.basename(os.path.abspath(args.out)))
    print(f"wrote {args.out}; manifest {path}. Check it with: ./v2a models check {args.out}")


if __name__ == "__main__":
    main()
