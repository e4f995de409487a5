namespace V2AStream.Core.Scenes;

/// <summary>
/// Read access to the Gram matrix S = X X^T and its row sums over the current window of frames [Low, High]
/// (absolute frame indices). Implemented by structs so that <see cref="WindowScorer"/> is specialised per storage.
/// </summary>
internal interface IGramWindow
{
    int Low { get; }

    int High { get; }

    /// <summary>S[a, b] for frames a and b inside the window.</summary>
    float Gram(int a, int b);

    /// <summary>The sum of S[k, j] over j in the window, accumulated in ascending j.</summary>
    double RowSum(int k);
}
