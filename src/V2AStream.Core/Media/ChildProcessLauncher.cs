using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace V2AStream.Core.Media;

/// <summary>
/// Starts the ffmpeg/ffprobe children (DESIGN.md section 8) so that each dies with this process and runs under a
/// memory bound: through util-linux's <c>setpriv --pdeathsig KILL</c> and <c>prlimit --data=N</c>, which set the
/// parent-death signal and RLIMIT_DATA on themselves and exec the next program, so the child keeps their pid.
/// <para>
/// Linux sends the parent-death signal when the <em>thread</em> that forked the child exits, not the process, and
/// .NET forks on the thread that calls <see cref="Process.Start()"/>: a child started from a thread-pool thread that
/// later retires would be killed while healthy. So every child is forked from one dedicated thread that lives as long
/// as this process; when the daemon or CLI exits, however it exits (SIGTERM, SIGINT, SIGKILL, a crash), the kernel
/// kills its children.
/// </para>
/// <para>
/// RLIMIT_DATA bounds private writable memory (heap, anonymous mappings, thread stacks), not reserved address space,
/// so a many-core machine's thread stacks and malloc arenas do not fail a healthy decode the way RLIMIT_AS would.
/// Where setpriv or prlimit cannot run (not Linux, util-linux missing or too old), children start directly, without
/// either guarantee; <see cref="GuardsChildren"/> says which, and <c>v2a doctor</c> reports it.
/// </para>
/// There is one launcher per process (<see cref="Shared"/>) because its thread must outlive every child it starts.
/// Thread-safe.
/// </summary>
public sealed class ChildProcessLauncher
{
    private const int SetDescriptorFlags = 2; // F_SETFD, linux/fcntl.h
    private const int CloseOnExec = 1; // FD_CLOEXEC

    private readonly BlockingCollection<StartRequest> _requests = new();
    private readonly Lazy<Guard?> _guard;

    private ChildProcessLauncher()
    {
        var thread = new Thread(StartRequestedProcesses) { IsBackground = true, Name = "v2a child launcher" };
        thread.Start();
        _guard = new Lazy<Guard?>(FindGuard, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>This process's launcher.</summary>
    public static ChildProcessLauncher Shared { get; } = new();

    /// <summary>Whether children get the parent-death signal and the memory bound (setpriv and prlimit work here).</summary>
    public bool GuardsChildren => _guard.Value is not null;

    /// <summary>
    /// Starts <paramref name="startInfo"/> (its FileName a program name on PATH or a path) from the launcher thread,
    /// with the parent-death signal and, when <paramref name="memoryLimitBytes"/> is set, that bound on its data.
    /// <paramref name="inherited"/> stays open in the child under its own number (ffmpeg reads it as /proc/self/fd/N).
    /// Throws <see cref="Win32Exception"/> when the program cannot be found or started.
    /// </summary>
    public Task<Process> StartAsync(ProcessStartInfo startInfo, long? memoryLimitBytes, SafeFileHandle? inherited = null)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        var program = FindProgram(startInfo.FileName)
            ?? throw new Win32Exception(2, $"'{startInfo.FileName}' was not found on PATH");
        var request = new StartRequest(Wrap(startInfo, program, memoryLimitBytes), inherited, new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously));
        _requests.Add(request);
        return request.Started.Task;
    }

    /// <summary>The program a start uses: setpriv and prlimit in front of the real one when they work here.</summary>
    private ProcessStartInfo Wrap(ProcessStartInfo startInfo, string program, long? memoryLimitBytes)
    {
        if (_guard.Value is not { } guard)
        {
            startInfo.FileName = program;
            return startInfo;
        }

        var arguments = startInfo.ArgumentList.ToArray();
        startInfo.FileName = guard.Setpriv;
        startInfo.ArgumentList.Clear();
        foreach (var argument in GuardArguments(guard, memoryLimitBytes))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    private static IEnumerable<string> GuardArguments(Guard guard, long? memoryLimitBytes)
    {
        yield return "--pdeathsig";
        yield return "KILL";
        yield return "--";
        if (memoryLimitBytes is { } limit)
        {
            yield return guard.Prlimit;
            yield return $"--data={limit.ToString(CultureInfo.InvariantCulture)}";
            yield return "--";
        }
    }

    private void StartRequestedProcesses()
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            var keep = request.Inherited is { IsInvalid: false, IsClosed: false } handle ? handle : null;
            var added = false;
            try
            {
                if (keep is not null)
                {
                    // Inheritable only while this one child is forked; every child is forked on this thread.
                    keep.DangerousAddRef(ref added);
                    SetCloseOnExec(keep, false);
                }

                var process = new Process { StartInfo = request.StartInfo };
                try
                {
                    process.Start();
                }
                catch
                {
                    process.Dispose();
                    throw;
                }

                request.Started.SetResult(process);
            }
            catch (Exception ex)
            {
                request.Started.SetException(ex);
            }
            finally
            {
                if (keep is not null)
                {
                    SetCloseOnExec(keep, true);
                    if (added)
                    {
                        keep.DangerousRelease();
                    }
                }
            }
        }
    }

    /// <summary>setpriv and prlimit, when both run here with the options this launcher uses; null otherwise.</summary>
    private static Guard? FindGuard()
    {
        if (!OperatingSystem.IsLinux() || FindProgram("setpriv") is not { } setpriv || FindProgram("prlimit") is not { } prlimit || FindProgram("true") is not { } trueProgram)
        {
            return null;
        }

        // util-linux before 2.33 has no --pdeathsig: try the whole chain once on a program that does nothing.
        var guard = new Guard(setpriv, prlimit);
        var startInfo = new ProcessStartInfo(setpriv) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in GuardArguments(guard, 1L << 30))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add(trueProgram);
        try
        {
            using var probe = Process.Start(startInfo)!;
            probe.StandardOutput.ReadToEnd();
            probe.StandardError.ReadToEnd();
            return probe.WaitForExit(10_000) && probe.ExitCode == 0 ? guard : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The full path of <paramref name="name"/> (a path, or a program on PATH), or null when there is none.</summary>
    public static string? FindProgram(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void SetCloseOnExec(SafeFileHandle handle, bool closeOnExec)
    {
        if (Fcntl((int)handle.DangerousGetHandle(), SetDescriptorFlags, closeOnExec ? CloseOnExec : 0) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "Cannot pass the opened source file to ffmpeg");
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in Core for one int-only call.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
#pragma warning restore SYSLIB1054

    private sealed record Guard(string Setpriv, string Prlimit);

    private sealed record StartRequest(ProcessStartInfo StartInfo, SafeFileHandle? Inherited, TaskCompletionSource<Process> Started);
}
