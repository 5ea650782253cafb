return CnnNative.Cli.CliApp.Run(args);
