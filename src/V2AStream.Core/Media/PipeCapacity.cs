using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace V2AStream.Core.Media;

/// <summary>
/// Grows a Linux pipe's kernel buffer (default 64 KiB) so ffmpeg can write whole frames ahead of the reader:
/// a 224x224 RGB frame is 147 KiB, which would otherwise cost three blocking hand-offs per frame.
/// Best effort: other systems, or a size above /proc/sys/fs/pipe-max-size, keep the default.
/// </summary>
internal static class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ, linux/fcntl.h

    public static void TryGrow(Stream stream, int bytes)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return;
        }

        var handleAdded = false;
        try
        {
            pipe.SafePipeHandle.DangerousAddRef(ref handleAdded);
            _ = Fcntl((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, bytes);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or DllNotFoundException or EntryPointNotFoundException)
        {
        }
        finally
        {
            if (handleAdded)
            {
                pipe.SafePipeHandle.DangerousRelease();
            }
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in Core for one int-only call.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
#pragma warning restore SYSLIB1054
}
