using System.Buffers.Binary;
using System.Text;
using V2AStream.Core.Media;
using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class IsoMediaLayoutTests(MediaClips clips) : IClassFixture<MediaClips>
{
    [Fact]
    public void OfFile_FaststartMp4_IndexFirst() => Assert.Equal(IsoLayout.IndexFirst, IsoMediaLayout.OfFile(clips.Mp4));

    [Fact]
    public void OfFile_DefaultMp4_IndexAtEnd() => Assert.Equal(IsoLayout.IndexAtEnd, IsoMediaLayout.OfFile(clips.IndexAtEnd));

    [Fact]
    public void OfFile_FragmentedMp4_IndexFirst()
    {
        var path = Path.Combine(clips.Directory, "fragmented.mp4");
        HostileMedia.Ffmpeg("-i", clips.Mp4, "-c", "copy", "-movflags", "frag_keyframe+empty_moov", path);
        Assert.Equal(IsoLayout.IndexFirst, IsoMediaLayout.OfFile(path));
    }

    [Theory]
    [InlineData("ts")]
    [InlineData("junk")]
    [InlineData("text")]
    [InlineData("empty")]
    public void OfFile_NotAnIsoFile_Other(string which)
    {
        var path = which switch { "ts" => clips.Ts, "junk" => clips.Junk, "text" => clips.Text, _ => clips.Empty };
        Assert.Equal(IsoLayout.Other, IsoMediaLayout.OfFile(path));
    }

    [Fact]
    public void Inspect_OneByteAtATime_SameDecisionAtTheMdatHeader()
    {
        var bytes = File.ReadAllBytes(clips.IndexAtEnd);
        var layout = new IsoMediaLayout();
        var fed = 0;
        while (layout.Inspect(bytes.AsSpan(fed, 1)) == IsoLayout.Undecided)
        {
            fed++;
        }

        // Decided at the last byte of the mdat box header, long before the end of the file.
        var mdat = Encoding.ASCII.GetString(bytes).IndexOf("mdat", StringComparison.Ordinal);
        Assert.Equal(IsoLayout.IndexAtEnd, layout.Layout);
        Assert.Equal(mdat + 3, fed);
    }

    [Fact]
    public void Inspect_LargeSizeFreeBoxThenMdat_IndexAtEnd()
    {
        // ftyp (16 bytes), a free box with a 64-bit size of 40, then mdat.
        var bytes = new byte[16 + 40 + 8];
        Box(bytes, 0, 16, "ftyp");
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 1);
        Encoding.ASCII.GetBytes("free", bytes.AsSpan(20));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), 40);
        Box(bytes, 56, 8, "mdat");

        Assert.Equal(IsoLayout.IndexAtEnd, new IsoMediaLayout().Inspect(bytes));
    }

    [Fact]
    public void Inspect_FtypWithABrokenSize_Other()
    {
        var bytes = new byte[8];
        Box(bytes, 0, 3, "ftyp");
        Assert.Equal(IsoLayout.Other, new IsoMediaLayout().Inspect(bytes));
    }

    private static void Box(byte[] bytes, int offset, uint size, string type)
    {
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), size);
        Encoding.ASCII.GetBytes(type, bytes.AsSpan(offset + 4));
    }
}
