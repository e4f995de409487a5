using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Models;
using V2AStream.Daemon;
using V2AStream.Diagnostics;
using V2AStream.Hosting;
using V2AStream.Onnx;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a serve</c>: the daemon. Settings come from appsettings.json (beside the program, or --config), then
/// V2A__Daemon__* environment variables, then these flags. Ctrl-C or SIGTERM drains running streams first.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "An appsettings.json to read (section \"Daemon\")." };
        var listen = new Option<string?>("--listen") { Description = "gRPC endpoint, HTTP/2 (default 127.0.0.1:50051)." };
        var healthListen = new Option<string?>("--health-listen") { Description = "HTTP/1.1 endpoint for /healthz, /readyz and /metrics (Prometheus text; default 127.0.0.1:9464; empty turns it off)." };
        var modelSet = new Option<string?>("--model-set") { Description = "Default model set: builtin, a name under models/, or a folder." };
        var maxStreams = new Option<int?>("--max-streams") { Description = "Concurrent streams (default 4)." };
        var allowRoot = new Option<string[]>("--allow-root") { Description = "A folder GenerateFromSource may open files under (repeatable). Default: none.", AllowMultipleArgumentsPerToken = false };
        var allowScheme = new Option<string?>("--allow-scheme") { Description = "URL schemes GenerateFromSource may open, comma-separated (srt,rtmp,https...). Default: none." };
        var allowHost = new Option<string?>("--allow-host") { Description = "Hosts URL sources, their playlists and redirects may reach besides the URL's own public host, comma-separated: names, IPs or CIDR ranges (loopback and private addresses only this way). Default: none." };
        var token = new Option<string?>("--token") { Description = "Require 'authorization: Bearer TOKEN' on every call but health checks (visible to other users in the process list: prefer --token-file or V2A__Daemon__Token)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the token from this file." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve gRPC over TLS with this certificate: PEM (with --tls-key) or PKCS#12." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert." };
        var device = new Option<string?>(DeviceOption.Name) { Description = DeviceOption.Description };
        var command = new Command("serve", "Run the V2AStream daemon (gRPC over HTTP/2).")
        {
            config, listen, healthListen, modelSet, maxStreams, allowRoot, allowScheme, allowHost, token, tokenFile, tlsCert, tlsKey, device,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var flags = new Dictionary<string, string?>();
            void Flag(string key, string? value)
            {
                if (value is not null)
                {
                    flags[$"{DaemonOptions.SectionName}:{key}"] = value;
                }
            }

            Flag(nameof(DaemonOptions.Listen), parseResult.GetValue(listen));
            Flag(nameof(DaemonOptions.MetricsListen), parseResult.GetValue(healthListen));
            Flag(nameof(DaemonOptions.ModelSet), parseResult.GetValue(modelSet));
            Flag(nameof(DaemonOptions.MaxStreams), parseResult.GetValue(maxStreams)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Flag(nameof(DaemonOptions.Token), parseResult.GetValue(token));
            Flag(nameof(DaemonOptions.Device), parseResult.GetValue(device));
            Flag(nameof(DaemonOptions.TokenFile), FullPath(parseResult.GetValue(tokenFile)));
            Flag(nameof(DaemonOptions.TlsCertificate), FullPath(parseResult.GetValue(tlsCert)));
            Flag(nameof(DaemonOptions.TlsKey), FullPath(parseResult.GetValue(tlsKey)));
            var roots = parseResult.GetValue(allowRoot) ?? [];
            for (var i = 0; i < roots.Length; i++)
            {
                Flag($"{nameof(DaemonOptions.AllowRoots)}:{i}", Path.GetFullPath(roots[i]));
            }

            var schemes = (parseResult.GetValue(allowScheme) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < schemes.Length; i++)
            {
                Flag($"{nameof(DaemonOptions.AllowSchemes)}:{i}", schemes[i]);
            }

            var hosts = (parseResult.GetValue(allowHost) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < hosts.Length; i++)
            {
                Flag($"{nameof(DaemonOptions.AllowHosts)}:{i}", hosts[i]);
            }

            DaemonHost host;
            try
            {
                var options = DaemonConfiguration.Bind(DaemonConfiguration.Build(parseResult.GetValue(config), flags));
                var ffmpeg = await Doctor.CheckProgramAsync("ffmpeg", cancellationToken).ConfigureAwait(false);
                if (!ffmpeg.Found)
                {
                    await stderr.WriteLineAsync($"error: {ffmpeg.Problem}").ConfigureAwait(false);
                    return 1;
                }

                host = await DaemonHost.StartAsync(options, ConfigureLogging, ffmpeg.Version ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DaemonConfigurationException or ModelSetException or OrtException or IOException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            await using (host.ConfigureAwait(false))
            {
                try
                {
                    await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await host.StopAsync().ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path);

    /// <summary>
    /// Logs go to stderr, one line each with a timestamp (stdout stays free for the CLI's own output), through the
    /// formatter that masks URL secrets and escapes control characters.
    /// </summary>
    private static void ConfigureLogging(ILoggingBuilder logging) =>
        logging.AddConsole(o =>
        {
            o.FormatterName = SafeConsoleFormatter.FormatterName;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        }).AddConsoleFormatter<SafeConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.IncludeScopes = true;
        }).AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddFilter("Grpc", LogLevel.Warning);
}
