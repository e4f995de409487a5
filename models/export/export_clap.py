#!/usr/bin/env python3
"""Export CLAP (HTSAT-tiny audio tower + RoBERTa text tower, unfused: the CLAP AudioLDM is conditioned with) to ONNX.

  audio: the audio tower with its log-mel front end inside the graph, for the model set's "audio_embedder" part that
         `v2a dataset` uses to make mapper training targets:
             python models/export/export_clap.py audio --out models/clip-audioldm [--repo laion/clap-htsat-unfused]
         writes clap_audio.onnx: waveform f32 [B,480000] (10 s of 48 kHz mono, in [-1, 1]) -> audio_embeds f32 [B,512]
         (the projected embedding, not normalized), and model-set.json's "audio_embedder" part. A caller makes each
         clip exactly 10 s the way CLAP's feature extractor does: a shorter clip is repeated to fill 10 s ("repeatpad");
         a longer one is cut into 10 s windows whose embeddings are averaged.
  text:  the text tower AudioLDM itself uses (cvssp/audioldm-s-full-v2, subfolder text_encoder), for the label tables of
         the zero-shot `prototype` mapper:
             python models/export/export_clap.py text --out DIR [--repo cvssp/audioldm-s-full-v2]
         writes clap_text.onnx: input_ids i64 [B,L], attention_mask i64 [B,L] -> text_embeds f32 [B,512] (not normalized;
         AudioLDM L2-normalizes them), and its tokenizer into DIR/clap_tokenizer/.

AudioLDM's own CLAP checkpoint is inside the original AudioLDM .ckpt (cond_stage_model); the diffusers repos keep only
its text tower. laion/clap-htsat-unfused is the published checkpoint of the same architecture; `audio
--check-audioldm cvssp/audioldm-s-full-v2` compares its text tower with AudioLDM's on a few prompts and prints the cosine
similarity, which says whether its audio embeddings live in the space AudioLDM was conditioned in.

Every mode takes --random-init (the real architecture from transformers' CLAP configs, whose defaults are HTSAT-tiny
and RoBERTa-base with 512-d projections; nothing is downloaded) and --tiny. Each export is run against PyTorch on random
input (batches of 1 and 3) and the largest difference printed; the audio front end is also compared with transformers'
ClapFeatureExtractor. Needs torch, transformers, numpy and onnx (onnxruntime for the numeric checks).
"""
import argparse
import os

import numpy as np
import torch

from checks import add_common_arguments, check_graph
from manifest import update_manifest

SAMPLE_RATE = 48000
SAMPLES = 480000  # CLAP's max_length_s (10 s) at 48 kHz
AUDIO_FILE = "clap_audio.onnx"
TEXT_FILE = "clap_text.onnx"


class LogMel(torch.nn.Module):
    """ClapFeatureExtractor's log-mel spectrogram of a 10 s clip, in operations ONNX exports: centred frames (reflect
    padding) of a periodic Hann window, power spectrum by a real DFT as two matrix products, the extractor's own mel
    filter bank, then 10·log10(max(mel, 1e-10)). [B, N] -> [B, 1, frames, mels]."""

    def __init__(self, mel_filters, n_fft, hop_length):
        super().__init__()
        self.n_fft = n_fft
        self.hop_length = hop_length
        bins = n_fft // 2 + 1
        angle = 2 * np.pi * np.outer(np.arange(n_fft), np.arange(bins)) / n_fft
        window = torch.hann_window(n_fft, periodic=True, dtype=torch.float64).numpy()[:, None]
        self.register_buffer("cos", torch.from_numpy((window * np.cos(angle)).astype(np.float32)))
        self.register_buffer("sin", torch.from_numpy((window * -np.sin(angle)).astype(np.float32)))
        self.register_buffer("filters", torch.from_numpy(np.asarray(mel_filters, dtype=np.float32)))

    def forward(self, waveform):
        padded = torch.nn.functional.pad(waveform.unsqueeze(1), (self.n_fft // 2, self.n_fft // 2), mode="reflect").squeeze(1)
        frames = padded.unfold(1, self.n_fft, self.hop_length)
        power = torch.matmul(frames, self.cos) ** 2 + torch.matmul(frames, self.sin) ** 2
        mel = torch.matmul(power, self.filters)
        return (10.0 * torch.log10(torch.clamp(mel, min=1e-10))).unsqueeze(1)


class AudioTower(torch.nn.Module):
    """waveform -> audio_embeds: the log-mel front end, then ClapAudioModelWithProjection."""

    def __init__(self, front_end, model):
        super().__init__()
        self.front_end = front_end
        self.model = model

    def forward(self, waveform):
        return self.model(input_features=self.front_end(waveform)).audio_embeds


class TextTower(torch.nn.Module):
    """input_ids, attention_mask -> text_embeds, as AudioLDMPipeline._encode_prompt calls its text encoder."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).text_embeds


def export_audio(args):
    from transformers import ClapAudioConfig, ClapAudioModelWithProjection, ClapFeatureExtractor

    if args.random_init:
        extractor = ClapFeatureExtractor(truncation="rand_trunc", padding="repeatpad")  # the unfused model's settings
        config = ClapAudioConfig(patch_embeds_hidden_size=24, hidden_size=192, depths=[1, 1, 1, 1], num_attention_heads=[2, 2, 2, 2]) if args.tiny else ClapAudioConfig()
        torch.manual_seed(args.seed)
        model = ClapAudioModelWithProjection(config)
    else:
        extractor = ClapFeatureExtractor.from_pretrained(args.repo)
        model = ClapAudioModelWithProjection.from_pretrained(args.repo)
    if model.config.enable_fusion:
        raise SystemExit(f"{args.repo} is a fused CLAP; AudioLDM's is unfused (laion/clap-htsat-unfused)")
    if extractor.sampling_rate != SAMPLE_RATE or extractor.nb_max_samples != SAMPLES:
        raise SystemExit(f"the feature extractor takes {extractor.nb_max_samples} samples at {extractor.sampling_rate} Hz, not {SAMPLES} at {SAMPLE_RATE}")
    filters = extractor.mel_filters if extractor.truncation == "fusion" else extractor.mel_filters_slaney
    front_end = LogMel(filters, extractor.fft_window_size, extractor.hop_length).eval()
    tower = AudioTower(front_end, model.eval()).eval()

    # The front end against the extractor itself on clips of exactly 10 s (no crop, no padding).
    clips = (torch.rand(2, SAMPLES) * 2 - 1) * 0.5
    expected = extractor(list(clips.numpy().astype(np.float64)), sampling_rate=SAMPLE_RATE, return_tensors="np")["input_features"]
    with torch.no_grad():
        actual = front_end(clips).numpy()
    if actual.shape != expected.shape:
        raise SystemExit(f"log-mel front end gives {actual.shape}, ClapFeatureExtractor {expected.shape}")
    print(f"log-mel front end: max |torch - ClapFeatureExtractor| = {np.abs(actual - expected).max():.3g} dB (values down to {expected.min():.1f} dB)")

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, AUDIO_FILE)
    with torch.no_grad():
        torch.onnx.export(tower, (clips,), path, input_names=["waveform"], output_names=["audio_embeds"],
                          dynamic_axes={"waveform": {0: "batch"}, "audio_embeds": {0: "batch"}}, opset_version=args.opset)
    for batch in (1, 3):
        check_graph(path, tower, ((torch.rand(batch, SAMPLES) * 2 - 1) * 0.5,), ["waveform"], "audio_embeds", args.tolerance)

    if args.check_audioldm and not args.random_init:
        compare_text_towers(args.repo, args.check_audioldm)

    manifest = update_manifest(args.out, "audio_embedder", {
        "kind": "onnx-audio",
        "file": AUDIO_FILE,
        "input": "waveform",
        "output": "audio_embeds",
        "sample_rate": SAMPLE_RATE,
        "samples": SAMPLES,
        "dim": model.config.projection_dim,
    })
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB); manifest {manifest}")


def compare_text_towers(clap_repo, audioldm_repo):
    """Cosine similarity of the CLAP repo's text embeddings and AudioLDM's text encoder's on the same prompts."""
    from transformers import AutoTokenizer, ClapTextModelWithProjection

    prompts = ["rain on a roof", "a crowd cheering", "a car engine starting", "birds singing", "wind", ""]
    tokenizer = AutoTokenizer.from_pretrained(clap_repo)
    tokens = tokenizer(prompts, padding=True, return_tensors="pt")
    with torch.no_grad():
        ours = ClapTextModelWithProjection.from_pretrained(clap_repo).eval()(**tokens).text_embeds
        theirs = ClapTextModelWithProjection.from_pretrained(audioldm_repo, subfolder="text_encoder").eval()(**tokens).text_embeds
    cosine = torch.nn.functional.cosine_similarity(ours, theirs, dim=-1)
    print(f"text tower of {clap_repo} vs {audioldm_repo}: cosine {', '.join(f'{c:.4f}' for c in cosine.tolist())}"
          " (1.0000 everywhere: the same CLAP, so its audio embeddings are in AudioLDM's conditioning space)")


def export_text(args):
    from transformers import ClapTextConfig, ClapTextModelWithProjection

    if args.random_init:
        config = ClapTextConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64) if args.tiny else ClapTextConfig()
        torch.manual_seed(args.seed)
        model = ClapTextModelWithProjection(config)
    else:
        from transformers import AutoTokenizer

        model = ClapTextModelWithProjection.from_pretrained(args.repo, subfolder="text_encoder")
        AutoTokenizer.from_pretrained(args.repo, subfolder="tokenizer").save_pretrained(os.path.join(args.out, "clap_tokenizer"))
    tower = TextTower(model.eval()).eval()
    vocabulary = model.config.vocab_size

    def tokens(batch, length):
        ids = torch.randint(3, vocabulary, (batch, length), dtype=torch.long)
        ids[:, 0] = 0  # RoBERTa's <s>
        mask = torch.ones(batch, length, dtype=torch.long)
        mask[0, length // 2:] = 0  # one padded prompt
        ids[0, length // 2:] = model.config.pad_token_id
        return ids, mask

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, TEXT_FILE)
    with torch.no_grad():
        torch.onnx.export(tower, tokens(2, 16), path, input_names=["input_ids", "attention_mask"], output_names=["text_embeds"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "text_embeds": {0: "batch"}},
                          opset_version=args.opset)
    for batch, length in ((1, 8), (3, 77)):
        check_graph(path, tower, tokens(batch, length), ["input_ids", "attention_mask"], "text_embeds", args.tolerance)
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    audio = modes.add_parser("audio", help="the audio tower (audio_embedder)")
    audio.add_argument("--repo", default="laion/clap-htsat-unfused")
    audio.add_argument("--check-audioldm", metavar="REPO", help="compare the repo's text tower with this AudioLDM repo's text encoder")
    text = modes.add_parser("text", help="AudioLDM's text tower (prototype label tables)")
    text.add_argument("--repo", default="cvssp/audioldm-s-full-v2")
    for mode in (audio, text):
        mode.add_argument("--out", required=True, help="model-set folder to write")
        mode.add_argument("--seed", type=int, default=0, help="with --random-init: seeds the weights")
        add_common_arguments(mode)
    args = parser.parse_args()
    (export_audio if args.mode == "audio" else export_text)(args)


if __name__ == "__main__":
    main()
