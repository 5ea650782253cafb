using System.Text.RegularExpressions;

namespace CnnNative.Cli;

/// <summary>
/// System.CommandLine names the .NET type a value failed to convert to ("as expected type
/// 'System.Nullable`1[System.Int32]'"); users read "a whole number" instead.
/// </summary>
internal static partial class ParseErrorWording
{
    public static string Friendly(string message) =>
        ExpectedType().Replace(message, m => $"as {Describe(m.Groups["type"].Value)}");

    private static string Describe(string type)
    {
        string inner = NullableOf().Match(type) is { Success: true } n ? n.Groups["inner"].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
            "System.UInt32" or "System.UInt64" or "System.UInt16" or "System.Byte" => "a whole number of at least 0",
            "System.Single" or "System.Double" or "System.Decimal" => "a number (such as 0.01)",
            "System.Boolean" => "true or false",
            _ => "a value of the right kind",
        };
    }

    [GeneratedRegex(@"as expected type '(?<type>[^']+)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();
}
