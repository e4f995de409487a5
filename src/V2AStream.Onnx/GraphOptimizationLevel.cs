namespace V2AStream.Onnx;

/// <summary>GraphOptimizationLevel of the C API (3, layout, is new in ORT 1.23).</summary>
public enum GraphOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}
