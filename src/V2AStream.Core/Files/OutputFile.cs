using System.Security.Cryptography;
using System.Text;

namespace V2AStream.Core.Files;

/// <summary>
/// An output file that appears whole or not at all: it is written under a short hidden temporary name in the target's
/// own folder (<c>.v2a-1f0c9a3e.wav</c>: the target's extension is kept, so ffmpeg still picks the container from it)
/// and renamed over the target by <see cref="Commit"/>; disposing an uncommitted one deletes the temporary file. The
/// temporary file is created by <see cref="Create"/>, so a path that cannot be written fails there, before any work.
/// The temporary name never grows with the target's, so any legal name can be written. Not thread-safe.
/// </summary>
public sealed class OutputFile : IDisposable
{
    /// <summary>The longest file name (one path component) Linux file systems take, in bytes.</summary>
    public const int MaxNameBytes = 255;

    private const string TemporaryPrefix = ".v2a-";
    private const int MaxKeptExtensionLength = 16;

    private OutputFile(string path, string temporaryPath)
    {
        Path = path;
        TemporaryPath = temporaryPath;
    }

    /// <summary>The target, as a full path.</summary>
    public string Path { get; }

    /// <summary>Where the content is written until <see cref="Commit"/>.</summary>
    public string TemporaryPath { get; }

    public bool Committed { get; private set; }

    /// <summary>
    /// Checks <paramref name="path"/> and creates the empty temporary file beside it; throws
    /// <see cref="OutputPathException"/> (one line) when the path is a folder, its folder is missing or not writable, or
    /// its name is too long.
    /// </summary>
    public static OutputFile Create(string path)
    {
        var full = Check(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        var extension = System.IO.Path.GetExtension(full);
        if (extension.Length > MaxKeptExtensionLength)
        {
            extension = string.Empty;
        }

        while (true)
        {
            var temporary = System.IO.Path.Combine(directory, TemporaryPrefix + RandomNumberGenerator.GetHexString(8, lowercase: true) + extension);
            try
            {
                new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
                return new OutputFile(full, temporary);
            }
            catch (IOException) when (File.Exists(temporary))
            {
                // Another writer drew the same name: draw again.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputPathException($"'{path}' cannot be written: {Reason(ex)} in folder '{directory}'.", ex);
            }
        }
    }

    /// <summary>Writes a file atomically: <paramref name="write"/> fills the temporary path, which then replaces <paramref name="path"/>.</summary>
    public static async Task WriteAsync(string path, Func<string, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var output = Create(path);
        await write(output.TemporaryPath).ConfigureAwait(false);
        output.Commit();
    }

    /// <summary>Opens the temporary file for writing from its start.</summary>
    public FileStream OpenWrite(int bufferSize = 1 << 16) => new(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize);

    /// <summary>Renames the temporary file over the target: from now on the target holds what was written.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(Committed, this);
        File.Move(TemporaryPath, Path, overwrite: true);
        Committed = true;
    }

    /// <summary>Deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (!Committed)
        {
            File.Delete(TemporaryPath);
        }
    }

    /// <summary>The full path when <paramref name="path"/> names a file that could be created or replaced; else throws <see cref="OutputPathException"/>.</summary>
    private static string Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new OutputPathException("the output path is empty: name a file.");
        }

        var full = System.IO.Path.GetFullPath(path);
        var name = System.IO.Path.GetFileName(full);
        if (name.Length == 0 || Directory.Exists(full))
        {
            throw new OutputPathException($"'{path}' is a folder: name a file in it.");
        }

        var nameBytes = Encoding.UTF8.GetByteCount(name);
        if (nameBytes > MaxNameBytes)
        {
            throw new OutputPathException($"'{path}': the file name is {nameBytes} bytes; names are limited to {MaxNameBytes}.");
        }

        var directory = System.IO.Path.GetDirectoryName(full)!;
        if (File.Exists(directory))
        {
            throw new OutputPathException($"'{path}': '{directory}' is a file, not a folder.");
        }

        if (!Directory.Exists(directory))
        {
            throw new OutputPathException($"'{path}': folder '{directory}' does not exist: create it first.");
        }

        return full;
    }

    private static string Reason(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        _ => exception.Message.TrimEnd('.'),
    };
}
