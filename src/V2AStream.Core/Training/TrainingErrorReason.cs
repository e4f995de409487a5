namespace V2AStream.Core.Training;

/// <summary>Why a dataset cannot be used or a training run cannot start.</summary>
public enum TrainingErrorReason
{
    /// <summary>A dataset folder or one of its files is missing.</summary>
    MissingDataset,

    /// <summary>A dataset's files are unreadable or disagree (row counts, dimensions, segments.json).</summary>
    InvalidDataset,

    /// <summary>The data do not fit the Table I mapper (embedding dimensions other than 512).</summary>
    WrongDimension,

    /// <summary>A training option is out of range.</summary>
    InvalidOptions,

    /// <summary>Nothing is left to train or to evaluate on (too few pairs, or every pair was used for training).</summary>
    NotEnoughData,
}
