namespace CnnNative.Cli.Commands;

/// <summary>
/// One example in a command's --help: what it does, then the command line that does it. The
/// line is a real one: a test parses every example with the command tree it belongs to.
/// </summary>
/// <param name="Purpose">What the line does, as a short sentence ("Train simple-conv on Fashion-MNIST").</param>
/// <param name="CommandLine">The whole command line, starting with <c>cnn</c>; arguments are separated by spaces (no quoting).</param>
internal sealed record CommandExample(string Purpose, string CommandLine)
{
    /// <summary>The arguments after <c>cnn</c>, as the parser receives them.</summary>
    public string[] Arguments => CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
}
