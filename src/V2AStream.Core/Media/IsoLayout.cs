namespace V2AStream.Core.Media;

/// <summary>What <see cref="IsoMediaLayout"/> has found out about an input's first bytes.</summary>
public enum IsoLayout
{
    /// <summary>Not enough bytes yet.</summary>
    Undecided,

    /// <summary>Not an MP4/MOV, or one whose layout its first bytes do not tell: nothing to say.</summary>
    Other,

    /// <summary>An MP4/MOV whose index (moov, or a fragment's moof) comes before its media: it streams.</summary>
    IndexFirst,

    /// <summary>An MP4/MOV whose media (mdat) comes before its index: it cannot be decoded from a pipe until it has all arrived.</summary>
    IndexAtEnd,
}
