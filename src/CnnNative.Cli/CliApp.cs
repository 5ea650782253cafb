namespace CnnNative.Cli;

/// <summary>Entry point of the `cnn` tool; commands are added as their issues land.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("cnn: no commands yet.");
        return 1;
    }
}
