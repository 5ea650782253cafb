namespace CnnNative.Tests.Fuzz;

/// <summary>
/// Valid command lines with one token damaged: a value replaced by garbage, a token dropped,
/// an option repeated or unknown. Runs of valid-looking commands may succeed (documented).
/// </summary>
internal static class CommandLineInputs
{
    private static readonly string[] Garbage =
        ["", " ", "-1", "0", "1e99", "NaN", "2147483648", "-2147483649", "18446744073709551616", "abc", "é中", "--", "-", "/dev/zero", "/nonexistent/x", "\u0001"];

    public static IEnumerable<FuzzCase> Cases()
    {
        var m = new Mutator(6);
        for (int i = 0; i < 60; i++)
        {
            int template = i % Templates.Length;
            int mutation = m.Next(4);
            // Never the train template's --data: without it `cnn train` reads the real
            // Fashion-MNIST, a minute of work rather than a malformed input.
            int position = m.Next(Templates[template][0] == "train" ? 5 : 1, Templates[template].Length);
            string garbage = m.Pick(Garbage);
            string name = $"{Templates[template][0]} #{i}: " + mutation switch
            {
                0 => $"token {position} replaced by '{garbage}'",
                1 => $"token {position} dropped",
                2 => $"token {position} repeated",
                _ => "unknown option added",
            };
            yield return new FuzzCase("arguments", name, true, c =>
            {
                var args = Fill(Templates[template], c);
                int at = position;
                switch (mutation)
                {
                    case 0: args[at] = garbage; break;
                    case 1: args.RemoveAt(at); break;
                    case 2: args.Insert(at, args[at]); break;
                    default: args.Insert(at, "--bogus"); break;
                }
                return [.. args];
            });
        }
    }

    private static readonly string[][] Templates =
    [
        ["eval", "--checkpoint", "{checkpoint}", "--data", "{data}"],
        ["predict", "--checkpoint", "{checkpoint}", "{image}", "--top", "3"],
        ["train", "--model", "{model}", "--data", "{data}", "--epochs", "1", "--batch-size", "32", "--lr", "0.01", "--output", "run"],
        ["filter", "{image}", "out.png", "--kernel", "sobel-x"],
        ["report", "{run}", "--output", "report.html"],
        ["predict", "--checkpoint", "{checkpoint}", "--idx", "{idx}", "--index", "3"],
    ];

    private static List<string> Fill(string[] template, FuzzContext c)
    {
        string image = c.File("x.pgm");
        File.WriteAllBytes(image, FuzzFixture.Pgm());
        string model = c.File("m.json");
        File.WriteAllText(model, c.Fixture.ModelJson);
        return [.. template.Select(t => t switch
        {
            "{checkpoint}" => c.Fixture.Checkpoint,
            "{data}" => c.Fixture.Data,
            "{image}" => image,
            "{model}" => model,
            "{run}" => c.Fixture.RunFolder,
            "{idx}" => Path.Combine(c.Fixture.Data, "t10k-images-idx3-ubyte"),
            _ => t,
        })];
    }
}
