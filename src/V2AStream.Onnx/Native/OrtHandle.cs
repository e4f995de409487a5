using System.Runtime.InteropServices;

namespace V2AStream.Onnx.Native;

/// <summary>
/// Owns one ORT object and releases it with its Release* function exactly once, even when a call
/// throws or a finalizer runs. A child (a session, say) keeps its parent (the env) alive through
/// SafeHandle reference counting, so disposing in the wrong order cannot free the parent first.
/// </summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<nint, void> _release;
    private readonly SafeHandle? _parent;

    public OrtHandle(nint handle, delegate* unmanaged<nint, void> release, SafeHandle? parent = null)
        : base(0, ownsHandle: true)
    {
        _release = release;
        if (parent is not null)
        {
            var added = false;
            parent.DangerousAddRef(ref added);
            _parent = parent;
        }

        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        _parent?.DangerousRelease();
        return true;
    }
}
