using System.Diagnostics;

namespace V2AStream.Bench.Streaming;

/// <summary>A server child process that stops when its stdin closes; killed if it has not after a few seconds.</summary>
internal sealed class ChildServer(Process process) : IDisposable
{
    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        if (!process.WaitForExit(5000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
