using V2AStream.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
