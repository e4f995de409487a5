using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>The timestamp clips of <see cref="HostileMedia"/>, made once in a temp folder and deleted at the end.</summary>
public sealed class TimestampClips : IDisposable
{
    public TimestampClips()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("v2a-timestamps-").FullName;
        JumpMkv = HostileMedia.TimestampJumpMkv(Directory);
        ShortJumpTs = HostileMedia.ShortJumpTs(Directory);
        CorruptedPtsTs = HostileMedia.CorruptedPtsTs(Directory);
        RestartingTs = HostileMedia.RestartingTs(Directory);
        WrappingTs = HostileMedia.WrappingTs(Directory);
        HugePicture = HostileMedia.HugePictureMkv(Directory);
    }

    public string Directory { get; }

    public string JumpMkv { get; }

    public string ShortJumpTs { get; }

    public string CorruptedPtsTs { get; }

    public string RestartingTs { get; }

    public string WrappingTs { get; }

    public string HugePicture { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
