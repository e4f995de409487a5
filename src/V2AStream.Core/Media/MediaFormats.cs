namespace V2AStream.Core.Media;

/// <summary>The ffmpeg demuxers a local file or a pipe may be read with (ffmpeg's -format_whitelist).</summary>
internal static class MediaFormats
{
    /// <summary>
    /// Plain containers, video elementary streams, single images and common audio files (so audio-only input is
    /// told it has no video). Left out on purpose: demuxers that read a list of other inputs (hls, dash, concat,
    /// sdp, rtsp, mpjpeg), device and generator inputs, and text formats that ffmpeg would draw as pictures (tty).
    /// A name matches any of a demuxer's names ("mov" is mov,mp4,m4a,3gp,3g2,mj2).
    /// </summary>
    public const string PlainDemuxers =
        "mov,matroska,mpegts,mpeg,mpegvideo,flv,live_flv,avi,nut,ogg,asf,mxf,ivf,dv,h264,hevc,m4v,obu,mjpeg,"
        + "image2,png_pipe,jpeg_pipe,webp_pipe,bmp_pipe,gif,yuv4mpegpipe,wav,mp3,flac,aac";
}
