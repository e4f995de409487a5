using System.Collections;

namespace V2AStream.Onnx;

/// <summary>The outputs of one run, in the order they were asked for. Dispose it to free ORT's buffers.</summary>
public sealed class OrtRunResult : IReadOnlyList<OrtOutput>, IDisposable
{
    private readonly OrtOutput[] _outputs;

    internal OrtRunResult(OrtOutput[] outputs) => _outputs = outputs;

    public int Count => _outputs.Length;

    public OrtOutput this[int index] => _outputs[index];

    /// <summary>The output named <paramref name="name"/>.</summary>
    public OrtOutput this[string name] =>
        Array.Find(_outputs, o => o.Name == name) ?? throw new KeyNotFoundException($"The run produced no output named '{name}'.");

    public IEnumerator<OrtOutput> GetEnumerator() => ((IEnumerable<OrtOutput>)_outputs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var output in _outputs)
        {
            output.Dispose();
        }
    }
}
