namespace V2AStream.Core.Training;

/// <summary>A dataset a mapper was trained on: its <see cref="MapperDataset.Fingerprint"/>, its number of pairs and the folder it was read from.</summary>
public sealed record TrainedDataset(string Fingerprint, int Pairs, string? Directory);
