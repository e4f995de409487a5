using System.Text.Json;
using V2AStream.Cli;
using V2AStream.Core.Media;
using V2AStream.Testing;

namespace V2AStream.Tests.Cli;

/// <summary>
/// What every command shares (README.md, "Command-line conventions"): a usage error is one line and exit code 2, with
/// the likely intended name; inputs and outputs are checked before any work; outputs appear whole or not at all.
/// </summary>
public sealed class ConventionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-conventions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task MistypedCommand_ExitTwoSuggestingTheCommand()
    {
        var (code, output, error) = await CliRunner.RunAsync("strem", "in.mp4");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("error: 'strem' is not a command of 'v2a': did you mean 'stream'? See 'v2a --help'.", error.TrimEnd());
    }

    [Fact]
    public async Task MistypedOption_ExitTwoSuggestingTheOption()
    {
        var (code, _, error) = await CliRunner.RunAsync("scenes", "a.npy", "--fsp", "3");

        Assert.Equal(2, code);
        Assert.Equal("error: unknown option '--fsp' for 'v2a scenes': did you mean '--fps'? See 'v2a scenes --help'.", error.TrimEnd());
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("run")]
    public async Task UnknownMode_SameOneLineUsageErrorInRunAndStream(string command)
    {
        var (code, _, error) = await CliRunner.RunAsync(command, "in.mp4", "-o", Path.Combine(_dir, "x.wav"), "--mode", "fast");

        Assert.Equal(2, code);
        Assert.Equal($"error: --mode 'fast' is not valid: use live or quality. See 'v2a {command} --help'.", error.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("stream")]
    [InlineData("embed")]
    [InlineData("scenes")]
    public async Task FolderAsInput_SameWordsInEveryCommand(string command)
    {
        string[] output = command == "scenes" ? [] : ["-o", Path.Combine(_dir, "x.out")];

        var (code, _, error) = await CliRunner.RunAsync([command, _dir, .. output]);

        Assert.Equal(2, code);
        Assert.Equal($"error: '{_dir}' is a folder: give a file.", error.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Help_ListsTheScriptsCommands()
    {
        var (code, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^\s+test\s+Run every test", output);
        Assert.Matches(@"(?m)^\s+setup\s+Install what is missing", output);
        Assert.Matches(@"(?m)^\s+publish\s+Publish the daemon", output);
    }

    [Fact]
    public async Task ScriptCommandWithoutTheScript_SaysHowToRunIt()
    {
        var (code, _, error) = await CliRunner.RunAsync("test");

        Assert.Equal(2, code);
        Assert.Equal("error: 'test' is done by the ./v2a script, not the program: run './v2a test' from the repository.", error.TrimEnd());
    }

    [Fact]
    public async Task OutputIsAFolder_RefusedBeforeAnyWorkAndNothingLeft()
    {
        var clip = Path.Combine(_dir, "clip.mp4");
        await File.WriteAllBytesAsync(clip, [0]);
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "out")).FullName;

        var (code, _, error) = await CliRunner.RunAsync("run", clip, "--out", folder);

        Assert.Equal(2, code);
        Assert.Equal($"error: '{folder}' is a folder: name a file in it.", error.TrimEnd());
        Assert.Equal([clip, folder], Directory.GetFileSystemEntries(_dir).Order());
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task OutputInAMissingFolder_RefusedBeforeAnyWork()
    {
        var condition = Path.Combine(_dir, "c.npy");
        CliRunner.WriteNpy(condition, [CliRunner.Vector(1, 512)]);
        var output = Path.Combine(_dir, "missing", "x.wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--condition", condition, "--seconds", "1", "-o", output);

        Assert.Equal(2, code);
        Assert.Equal($"error: '{output}': folder '{Path.Combine(_dir, "missing")}' does not exist: create it first.", error.TrimEnd());
    }

    [Fact]
    public async Task LongestLegalOutputName_Written()
    {
        var condition = Path.Combine(_dir, "c.npy");
        CliRunner.WriteNpy(condition, [CliRunner.Vector(1, 512)]);
        var output = Path.Combine(_dir, new string('a', 251) + ".wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--condition", condition, "--seconds", "0.5", "-o", output);

        Assert.True(code == 0, error);
        Assert.Equal(8000, WavReader.Read(output).Frames);
        Assert.Equal(new[] { condition, output }.Order(), Directory.GetFiles(_dir).Order());
    }

    [Fact]
    public async Task OutputNameOverTheLimit_UsageErrorSayingSo()
    {
        var condition = Path.Combine(_dir, "c.npy");
        CliRunner.WriteNpy(condition, [CliRunner.Vector(1, 512)]);
        var output = Path.Combine(_dir, new string('a', 252) + ".wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--condition", condition, "--seconds", "0.5", "-o", output);

        Assert.Equal(2, code);
        Assert.EndsWith("the file name is 256 bytes; names are limited to 255.", error.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal([condition], Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Generate_Json_OneObjectOnStdout()
    {
        var condition = Path.Combine(_dir, "c.npy");
        CliRunner.WriteNpy(condition, [CliRunner.Vector(1, 512)]);
        var output = Path.Combine(_dir, "x.wav");

        var (code, stdout, error) = await CliRunner.RunAsync("generate", "--condition", condition, "--seconds", "2.5", "-o", output, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(40000, json.RootElement.GetProperty("samples").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("blocks").GetInt64());
        Assert.Equal(output, json.RootElement.GetProperty("out").GetString());
    }

    [Fact]
    public async Task Stream_NoDaemonListening_OneLineSayingSo()
    {
        var clip = Path.Combine(_dir, "clip.ts");
        await File.WriteAllBytesAsync(clip, [0]);
        var port = LoopbackPort.Free();

        var (code, _, error) = await CliRunner.RunAsync("stream", clip, "-o", Path.Combine(_dir, "x.wav"), "--server", $"http://127.0.0.1:{port}");

        Assert.Equal(1, code);
        Assert.Equal($"error: cannot reach the daemon at 127.0.0.1:{port} (connection refused): is 'v2a serve' running there?", error.TrimEnd());
        Assert.Equal([clip], Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("127.0.0.1:50051", "http://127.0.0.1:50051/")]
    [InlineData("http://localhost:7000", "http://localhost:7000/")]
    [InlineData("https://example.org:443", "https://example.org/")]
    [InlineData("[::1]:50051", "http://[::1]:50051/")]
    public void ServerAddress_EveryFormAccepted(string text, string expected)
    {
        Assert.True(V2AStream.Client.ServerAddress.TryParse(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("ftp://host:21")]
    [InlineData("http://host:1/path")]
    [InlineData("")]
    public void ServerAddress_OtherTextRefused(string text) => Assert.False(V2AStream.Client.ServerAddress.TryParse(text, out _));

    [Fact]
    public async Task Stream_ServerNotAnAddress_UsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("stream", "in.mp4", "-o", "x.wav", "--server", "localhost");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --server 'localhost' is not an address: use HOST:PORT or http(s)://HOST:PORT", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "-", "--mux", "v.mp4", "--mux needs a file input and --out FILE with --format wav.")]
    [InlineData("stream", "rtmp://127.0.0.1/live/x", "--mux", "v.mp4", "--mux needs a file input and --out FILE with --format wav.")]
    [InlineData("run", "clip.mp4", "--json", null, "--json and --out - both write to stdout: give --out a file.")]
    [InlineData("stream", "clip.mp4", "--json", null, "--json and --out - both write to stdout: give --out a file.")]
    public async Task RunAndStream_OutputsThatCannotWork_UsageErrorBeforeAnyWork(string command, string input, string option, string? value, string expected)
    {
        var output = option == "--json" ? "-" : Path.Combine(_dir, "x.wav");
        string[] args = value is null ? [command, input, "-o", output, option] : [command, input, "-o", output, option, value];

        var (code, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal($"error: {expected}", error.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Soak_MetricsNotAnAddress_UsageErrorWithAHealthPortExample()
    {
        var (code, _, error) = await CliRunner.RunAsync("soak", "--source", "in.mp4", "--server", "127.0.0.1:50051", "--metrics", "localhost");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --metrics 'localhost' is not an address: use HOST:PORT or http(s)://HOST:PORT, e.g. 127.0.0.1:9464.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strem", "stream")]
    [InlineData("scnees", "scenes")]
    [InlineData("--smaple-rate", "--sample-rate")]
    [InlineData("xyz", null)]
    public void SpellingSuggestion_ClosestNameWhenClose(string typed, string? expected) =>
        Assert.Equal(expected, SpellingSuggestion.Closest(typed, ["stream", "scenes", "serve", "--sample-rate", "--seed"]));
}
