#!/usr/bin/env python3
"""Export AudioLDM (diffusers AudioLDMPipeline) to the ONNX files V2AStream's `audioldm` generator loads.

Run once on a machine with internet access and torch + diffusers + transformers + onnx (+ onnxruntime for the checks):
    pip install torch diffusers transformers onnx onnxruntime
    python models/export/export_audioldm.py --repo cvssp/audioldm-s-full-v2 --out models/audioldm-s-full-v2
    python models/export/export_audioldm.py --random-init --out /tmp/audioldm-random          # s-full architecture, random weights
    python models/export/export_audioldm.py --random-init --tiny --out /tmp/audioldm-tiny     # tiny, same contract
--random-init builds the UNet, VAE, vocoder and CLAP text encoder from AudioLDM s-full's configuration (as diffusers'
convert_original_audioldm_to_diffusers.py derives it; nothing is downloaded); the unconditional embedding then comes from
the random text encoder on the token ids of "" (<s></s>). Each graph is run against PyTorch on random input and the
largest difference printed.

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

from checks import add_common_arguments, check_graph, write_safetensors
from manifest import update_manifest

# AudioLDM s-full (diffusers' convert_original_audioldm_to_diffusers.py, DEFAULT_CONFIG): UNet model_channels 128,
# channel_mult [1,2,3,5], attention at resolutions 8,4,2, 2 res blocks, FiLM condition 512 concatenated to the time
# embedding; VAE ch 128, ch_mult [1,2,4], 8 latent channels; HiFi-GAN upsampling x160 from 64 mel bins at 16 kHz.
UNET_CONFIG = dict(
    sample_size=128, in_channels=8, out_channels=8, layers_per_block=2,
    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    block_out_channels=(128, 256, 384, 640), cross_attention_dim=(128, 256, 384, 640),
    class_embed_type="simple_projection", projection_class_embeddings_input_dim=512, class_embeddings_concat=True)
TINY_UNET_CONFIG = dict(
    sample_size=32, in_channels=8, out_channels=8, layers_per_block=1, norm_num_groups=8,
    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
    block_out_channels=(16, 32), cross_attention_dim=(16, 32), attention_head_dim=4,
    class_embed_type="simple_projection", projection_class_embeddings_input_dim=512, class_embeddings_concat=True)
VAE_CONFIG = dict(
    sample_size=512, in_channels=1, out_channels=1, latent_channels=8, layers_per_block=2,
    down_block_types=("DownEncoderBlock2D",) * 3, up_block_types=("UpDecoderBlock2D",) * 3,
    block_out_channels=(128, 256, 512), scaling_factor=0.9227914214134216)
TINY_VAE_CONFIG = dict(VAE_CONFIG, layers_per_block=1, block_out_channels=(8, 16, 16), norm_num_groups=8)
VOCODER_CONFIG = dict(
    model_in_dim=64, sampling_rate=16000, upsample_initial_channel=1024, upsample_rates=[5, 4, 2, 2, 2],
    upsample_kernel_sizes=[16, 16, 8, 4, 4], resblock_kernel_sizes=[3, 7, 11],
    resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5], [1, 3, 5]], normalize_before=False)
TINY_VOCODER_CONFIG = dict(VOCODER_CONFIG, upsample_initial_channel=32, resblock_kernel_sizes=[3], resblock_dilation_sizes=[[1]])


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


class RandomInitPipeline:
    """The parts of an AudioLDMPipeline this export reads, built from the configurations above with random weights."""

    def __init__(self, tiny, seed):
        from diffusers import AutoencoderKL, UNet2DConditionModel
        from transformers import ClapTextConfig, ClapTextModelWithProjection, SpeechT5HifiGan, SpeechT5HifiGanConfig

        torch.manual_seed(seed)
        self.unet = UNet2DConditionModel(**(TINY_UNET_CONFIG if tiny else UNET_CONFIG))
        self.vae = AutoencoderKL(**(TINY_VAE_CONFIG if tiny else VAE_CONFIG))
        self.vocoder = SpeechT5HifiGan(SpeechT5HifiGanConfig(**(TINY_VOCODER_CONFIG if tiny else VOCODER_CONFIG)))
        text_config = ClapTextConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64) if tiny else ClapTextConfig()
        self.text_encoder = ClapTextModelWithProjection(text_config)

    def empty_prompt_embedding(self):
        # RoBERTa's tokens for "": <s> (0) and </s> (2).
        ids = torch.tensor([[0, 2]])
        return self.text_encoder(ids, attention_mask=torch.ones_like(ids)).text_embeds


def load(args):
    if args.random_init:
        return RandomInitPipeline(args.tiny, args.seed)
    from diffusers import AudioLDMPipeline

    pipe = AudioLDMPipeline.from_pretrained(args.repo, torch_dtype=torch.float32).to("cpu")

    def empty_prompt_embedding():
        # As AudioLDMPipeline._encode_prompt makes the uncond half for an empty negative prompt.
        tokens = pipe.tokenizer([""], padding="max_length", max_length=pipe.tokenizer.model_max_length, truncation=True, return_tensors="pt")
        return pipe.text_encoder(tokens.input_ids, attention_mask=tokens.attention_mask).text_embeds

    pipe.empty_prompt_embedding = empty_prompt_embedding
    return pipe


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default="cvssp/audioldm-s-full-v2", help="Hugging Face repo of an AudioLDM diffusers pipeline")
    parser.add_argument("--out", required=True, help="model-set folder to write")
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--guidance", type=float, default=4.5)
    parser.add_argument("--seed", type=int, default=0, help="with --random-init: seeds the weights")
    add_common_arguments(parser)
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    pipe = load(args)
    unet, vae, vocoder = Unet(pipe.unet).eval(), VaeDecoder(pipe.vae).eval(), Vocoder(pipe.vocoder).eval()
    frames = 64  # 2.56 s; T is exported as a dynamic axis (multiples of 8)

    def unet_inputs(batch, length):
        return (torch.randn(batch, 8, length, 16), torch.full((batch,), 961.0), F.normalize(torch.randn(batch, 512), dim=-1))

    paths = {name: os.path.join(args.out, f"{name}.onnx") for name in ("unet", "vae_decoder", "vocoder")}
    with torch.no_grad():
        torch.onnx.export(
            unet, unet_inputs(2, frames), paths["unet"],
            input_names=["sample", "timestep", "class_labels"], output_names=["out_sample"],
            dynamic_axes={"sample": {0: "batch", 2: "frames"}, "timestep": {0: "batch"},
                          "class_labels": {0: "batch"}, "out_sample": {0: "batch", 2: "frames"}},
            opset_version=args.opset)
        torch.onnx.export(
            vae, (torch.randn(1, 8, frames, 16),), paths["vae_decoder"],
            input_names=["latent"], output_names=["mel"],
            dynamic_axes={"latent": {0: "batch", 2: "frames"}, "mel": {0: "batch", 2: "mel_frames"}},
            opset_version=args.opset)
        torch.onnx.export(
            vocoder, (torch.randn(1, 4 * frames, 64),), paths["vocoder"],
            input_names=["mel"], output_names=["waveform"],
            dynamic_axes={"mel": {0: "batch", 1: "mel_frames"}, "waveform": {0: "batch", 1: "samples"}},
            opset_version=args.opset)
        embedding = F.normalize(pipe.empty_prompt_embedding(), dim=-1)[0].contiguous()

    # Other batch sizes and lengths than the export's, so a shape baked into the graph shows.
    check_graph(paths["unet"], unet, unet_inputs(4, 2 * frames), ["sample", "timestep", "class_labels"], "out_sample", args.tolerance)
    check_graph(paths["vae_decoder"], vae, (torch.randn(2, 8, 2 * frames, 16),), ["latent"], "mel", args.tolerance)
    check_graph(paths["vocoder"], vocoder, (torch.randn(2, 8 * frames, 64),), ["mel"], "waveform", args.tolerance)

    write_safetensors(os.path.join(args.out, "unconditional.safetensors"), {"embedding": embedding})
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
