using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace V2AStream.Core.Media;

/// <summary>
/// The Linux file calls .NET does not expose, for opening a source exactly as it was checked: realpath(3) (every
/// component resolved, links and loops included), an open that follows no symbolic link at any component, and statx(2)
/// for the type and size of what was opened. Linux only; thread-safe.
/// </summary>
public static class LinuxFiles
{
    public const int NoSuchFile = 2; // ENOENT
    public const int AccessDenied = 13; // EACCES
    public const int NotADirectory = 20; // ENOTDIR
    public const int NameTooLong = 36; // ENAMETOOLONG
    public const int TooManyLinks = 40; // ELOOP

    private const int OpenPath = 0x200000; // O_PATH
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC
    private const int AtEmptyPath = 0x1000; // AT_EMPTY_PATH
    private const uint StatxType = 0x1; // STATX_TYPE
    private const uint StatxSize = 0x200; // STATX_SIZE
    private const int StatxBytes = 256;
    private const int ModeTypeMask = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG

    // O_NOFOLLOW and O_DIRECTORY differ by architecture: arm, arm64 and powerpc define their own (asm/fcntl.h).
    private static readonly bool ArmStyleFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le;
    private static readonly int OpenNoFollow = ArmStyleFlags ? 0x8000 : 0x20000;
    private static readonly int OpenDirectory = ArmStyleFlags ? 0x4000 : 0x10000;

    /// <summary>The canonical path of <paramref name="path"/> (realpath(3)); null with the errno when it cannot be resolved.</summary>
    public static string? RealPath(string path, out int error)
    {
        ArgumentNullException.ThrowIfNull(path);
        error = 0;
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            error = Marshal.GetLastPInvokeError();
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    /// <summary>
    /// Opens the file at the canonical <paramref name="resolvedPath"/> (an O_PATH handle: no read happens, a FIFO does not
    /// block, a device is not opened) walking from "/" one component at a time with O_NOFOLLOW, so that a component
    /// turned into a symbolic link since it was resolved fails the open instead of leading elsewhere. Returns null with
    /// the errno when it cannot (ELOOP or ENOTDIR for a link in the way).
    /// </summary>
    public static SafeFileHandle? OpenWithoutLinks(string resolvedPath, out int error)
    {
        ArgumentException.ThrowIfNullOrEmpty(resolvedPath);
        error = 0;
        if (!resolvedPath.StartsWith('/'))
        {
            error = NoSuchFile;
            return null;
        }

        var parts = resolvedPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var directory = NativeOpen(-100 /* AT_FDCWD */, "/", OpenPath | OpenDirectory | OpenCloseOnExec);
        if (directory < 0)
        {
            error = Marshal.GetLastPInvokeError();
            return null;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            var next = NativeOpen(directory, parts[i], OpenPath | OpenNoFollow | OpenCloseOnExec | (last ? 0 : OpenDirectory));
            var failure = next < 0 ? Marshal.GetLastPInvokeError() : 0;
            NativeClose(directory);
            if (next < 0)
            {
                error = failure;
                return null;
            }

            directory = next;
        }

        return new SafeFileHandle(directory, ownsHandle: true);
    }

    /// <summary>Whether <paramref name="handle"/> is a regular file (not a link, FIFO, socket, device or folder), and its size.</summary>
    public static (bool IsRegularFile, long Length) Describe(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var buffer = new byte[StatxBytes];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (NativeStatx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxType | StatxSize, buffer) != 0)
            {
                return (false, 0);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        // struct statx is laid out the same on every architecture: stx_mode is the u16 at 28, stx_size the u64 at 40.
        var mode = MemoryMarshal.Read<ushort>(buffer.AsSpan(28)) & ModeTypeMask;
        return (mode == RegularFile, (long)MemoryMarshal.Read<ulong>(buffer.AsSpan(40)));
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in Core for a few plain calls.
#pragma warning disable CA2101 // Strings are marshalled as UTF-8 on Unix.
    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr NativeRealPath(string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void NativeFree(IntPtr pointer);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static extern int NativeOpen(int directory, string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int NativeClose(int fd);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int NativeStatx(int directory, string path, int flags, uint mask, byte[] buffer);
#pragma warning restore CA2101
#pragma warning restore SYSLIB1054
}
