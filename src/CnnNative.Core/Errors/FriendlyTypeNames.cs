using System.Text.RegularExpressions;

namespace CnnNative.Core;

/// <summary>
/// Rewrites the .NET type names that library messages quote when a value does not convert —
/// System.CommandLine's "as expected type 'System.Nullable`1[System.Int32]'", System.Text.Json's
/// "could not be converted to System.Collections.Generic.IReadOnlyList`1[…]" — into what a user
/// reads: "a whole number", "a list".
/// </summary>
internal static partial class FriendlyTypeNames
{
    /// <summary><paramref name="message"/> with every quoted conversion target described in words.</summary>
    public static string Rewrite(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message = ExpectedType().Replace(message, m => $"as {Describe(m.Groups["type"].Value)}");
        message = ToType().Replace(message, m => $"to {Describe(m.Groups["type"].Value)}");
        return ConvertedTo().Replace(message, m => $"could not be converted to {Describe(m.Groups["type"].Value)}");
    }

    /// <summary>"a whole number" for System.Int32 (nullable or not), "a list" for arrays and lists, and so on.</summary>
    public static string Describe(string typeName)
    {
        string type = NullableOf().Match(typeName) is { Success: true } n ? n.Groups["inner"].Value : typeName;
        if (type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal)
            || type.Contains("Enumerable`1", StringComparison.Ordinal) || type.Contains("Collection`1", StringComparison.Ordinal))
            return "a list";
        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.SByte" => "a whole number",
            "System.UInt32" or "System.UInt64" or "System.UInt16" or "System.Byte" => "a whole number of at least 0",
            "System.Single" or "System.Double" or "System.Decimal" => "a number (such as 0.01)",
            "System.Boolean" => "true or false",
            "System.String" => "a text string",
            _ when type.Contains("Dictionary`2", StringComparison.Ordinal) => "an object of names and values",
            _ => "an object of the expected form",
        };
    }

    [GeneratedRegex(@"as expected type '(?<type>[^']+)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"to type '(?<type>[^']+)'")]
    private static partial Regex ToType();

    [GeneratedRegex(@"could not be converted to (?<type>[\w.`\[\], ]+?)(?=\.(\s|$)|\s|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$")]
    private static partial Regex NullableOf();
}
