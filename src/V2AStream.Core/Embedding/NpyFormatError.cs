namespace V2AStream.Core.Embedding;

/// <summary>Why a .npy file was refused.</summary>
public enum NpyFormatError
{
    /// <summary>The file does not start with NumPy's magic string.</summary>
    NotNpy,

    /// <summary>A format version other than 1.0, 2.0 or 3.0.</summary>
    UnsupportedVersion,

    /// <summary>The header dictionary cannot be parsed.</summary>
    BadHeader,

    /// <summary>The element type is not float32.</summary>
    UnsupportedDtype,

    /// <summary>The array is stored in Fortran (column-major) order.</summary>
    FortranOrder,

    /// <summary>The array is not two-dimensional.</summary>
    NotTwoDimensional,

    /// <summary>The file ends before all the array's values.</summary>
    Truncated,

    /// <summary>The array holds more values than one .NET array can.</summary>
    TooLarge,
}
