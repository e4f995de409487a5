namespace V2AStream.Core.Training;

/// <summary>Where a training run is: epoch (from 1) of <paramref name="Epochs"/>, step (from 1) of the epoch's
/// <paramref name="StepsPerEpoch"/>, and the last finished epoch, once there is one.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, EpochReport? LastEpoch);
