using System.Text;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Fuzz;

/// <summary>Malformed appsettings.json files and CNN_ variables, read by `cnn eval` when it starts its provider.</summary>
internal static class ConfigurationInputs
{
    private const string Valid = """{ "Compute": { "Provider": "managed", "Managed": { "Threads": 2 } } }""";

    public static IEnumerable<FuzzCase> Cases()
    {
        var m = new Mutator(3);
        // Thread counts as JSON values; the accepted ones are whole numbers from 1 to 1024.
        foreach (var (value, ok) in new (string, bool)[]
        {
            ("0", false), ("-1", false), ("1", true), ("3", true), ("1025", false), ("20000", false), ("2147483648", false),
            ("\"abc\"", false), ("\"\"", true), ("\"1e3\"", false), ("2.5", false), ("\" 3 \"", true), ("null", true),
            ("[]", true), ("{}", true), ("\"0x10\"", false),
        })
            yield return Settings($"Threads = {value}", $$"""{ "Compute": { "Provider": "managed", "Managed": { "Threads": {{value}} } } }""", ok);
        foreach (var (value, ok) in new (string, bool)[]
        {
            ("\"\"", false), ("\"  \"", false), ("\"nope\"", false), ("\"MANAGED\"", true), ("123", false), ("null", false),
            ("\"broken\"", false), ("\"managed\\u0000\"", false), ("[\"managed\"]", true),
        })
            yield return Settings($"Provider = {value}", $$"""{ "Compute": { "Provider": {{value}} } }""", ok);
        // The memory limit in GiB: above 0 and at most 2^20; a tiny one refuses the model with its figures.
        foreach (var (value, ok) in new (string, bool)[]
        {
            ("0", false), ("-1", false), ("\"lots\"", false), ("1e400", false), ("1048577", false), ("0.000001", false), ("4", true),
        })
            yield return Settings($"MemoryLimitGiB = {value}", $$"""{ "Compute": { "Provider": "managed", "MemoryLimitGiB": {{value}}, "Managed": { "Threads": 2 } } }""", ok);
        foreach (var (name, plugins) in new (string, string)[]
        {
            ("missing", "[\"/nonexistent/plugin.dll\"]"),
            ("a device", "[\"/dev/null\"]"),
            ("a folder", "[\"/tmp\"]"),
            ("not an assembly", "[\"appsettings.json\"]"),
        })
            yield return Settings($"plugin path {name}", $$"""{ "Compute": { "Provider": "managed", "Plugins": {{plugins}} } }""", false);
        for (int i = 0; i < 8; i++)
            yield return Settings($"truncated #{i}", Encoding.UTF8.GetString(m.Truncate(Encoding.UTF8.GetBytes(Valid))), mayBeAccepted: false);
        for (int i = 0; i < 8; i++)
            yield return Settings($"bit flip #{i}", Encoding.Latin1.GetString(m.FlipBit(Encoding.UTF8.GetBytes(Valid), 0, Valid.Length)), mayBeAccepted: true);
        yield return Settings("random bytes", Encoding.Latin1.GetString(m.RandomBytes(200)), false);
        yield return Settings("JSON nested 2000 deep", new string('[', 2000) + new string(']', 2000), false);
        yield return Settings("a JSON array", "[1, 2]", false);
        yield return new FuzzCase("configuration", "UTF-16 text without a byte-order mark", false, c =>
        {
            File.WriteAllBytes(c.Cli.SettingsFile, Encoding.Unicode.GetBytes(Valid));
            return Eval(c);
        });
        foreach (var (variable, value, ok) in new (string, string, bool)[]
        {
            ("CNN_Compute__Managed__Threads", "20000", false), ("CNN_Compute__Managed__Threads", "-5", false),
            ("CNN_Compute__Provider", "", false), ("CNN_Compute__Provider", "nope", false), ("CNN_Compute__Managed__Threads", "2", true),
        })
            yield return new FuzzCase("configuration", $"{variable}={value}", ok, c =>
            {
                c.Cli.Settings(Valid);
                c.Cli.Variables[variable] = value;
                return Eval(c);
            });
        yield return Special("appsettings.json is a folder", path => Directory.CreateDirectory(path));
        yield return Special("appsettings.json is a named pipe", SpecialFiles.MakeFifo);
        yield return Special("appsettings.json links to /dev/zero", path => File.CreateSymbolicLink(path, "/dev/zero"));
    }

    private static FuzzCase Settings(string name, string json, bool mayBeAccepted) =>
        new("configuration", name, mayBeAccepted, c =>
        {
            File.WriteAllText(c.Cli.SettingsFile, json);
            return Eval(c);
        });

    private static FuzzCase Special(string name, Action<string> make) =>
        new("configuration", name, false, c =>
        {
            File.Delete(c.Cli.SettingsFile);
            make(c.Cli.SettingsFile);
            return Eval(c);
        });

    private static string[] Eval(FuzzContext c) => ["eval", "--checkpoint", c.Fixture.Checkpoint, "--data", c.Fixture.Data];
}
