using V2AStream.Cli;

return await CliApp.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
