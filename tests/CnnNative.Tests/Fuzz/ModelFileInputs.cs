using System.Text;
using System.Text.Json.Nodes;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Fuzz;

/// <summary>Malformed JSON model files given to `cnn train --model` (one epoch on the tiny data when accepted).</summary>
internal static class ModelFileInputs
{
    public static IEnumerable<FuzzCase> Cases(FuzzFixture fixture)
    {
        var m = new Mutator(4);
        string valid = fixture.ModelJson;
        // Layers of the tiny model: 0 conv, 1 batchnorm, 2 relu, 3 maxpool, 4 affine, 5 relu, 6 dropout, 7 affine.
        foreach (var (what, layer, key, value, ok) in new (string, int, string, string, bool)[]
        {
            ("affine units 0", 4, "units", "0", false), ("affine units -1", 4, "units", "-1", false),
            ("affine units 65537", 4, "units", "65537", false), ("affine units 1e9", 4, "units", "1e9", false),
            ("affine units 1.5", 4, "units", "1.5", false), ("affine units text", 4, "units", "\"x\"", false),
            ("affine units null", 4, "units", "null", false), ("affine units true", 4, "units", "true", false),
            ("conv filters 0", 0, "filters", "0", false), ("conv filters -3", 0, "filters", "-3", false),
            ("conv filters 65537", 0, "filters", "65537", false), ("conv kernel 0", 0, "kernel", "0", false),
            ("conv kernel 11", 0, "kernel", "11", false), ("conv kernel 1025", 0, "kernel", "1025", false),
            ("conv kernel [3]", 0, "kernel", "[3]", false), ("conv stride 0", 0, "stride", "0", false),
            ("conv stride 100", 0, "stride", "100", true), ("conv pad -1", 0, "pad", "-1", false),
            ("conv pad 1000 (64 M values per sample)", 0, "pad", "1000", false), ("conv pad 5000", 0, "pad", "5000", false),
            ("pool size 0", 3, "size", "0", false), ("pool size 9", 3, "size", "9", false),
            ("dropout ratio -0.1", 6, "ratio", "-0.1", false), ("dropout ratio 1", 6, "ratio", "1", false),
            ("dropout ratio 2", 6, "ratio", "2", false), ("dropout ratio NaN", 6, "ratio", "\"NaN\"", false),
            ("type unknown", 2, "type", "\"nope\"", false), ("type empty", 2, "type", "\"\"", false),
            ("type null", 2, "type", "null", false), ("name with a slash", 2, "name", "\"a/b\"", true),
            ("duplicate name", 5, "name", "\"relu1\"", false), ("unknown setting", 4, "colour", "\"blue\"", true),
        })
            yield return Model($"layer {layer}: {what}", EditLayer(valid, layer, key, value), ok);
        foreach (var (what, key, value, ok) in new (string, string, string, bool)[]
        {
            ("input 3×32×32 contradicts the data", "input", "[3, 32, 32]", false),
            ("input 1×8×8 agrees with the data", "input", "[1, 8, 8]", true),
            ("input [0]", "input", "[0]", false),
            ("classes 7 contradicts the data", "classes", "7", false),
            ("classes 10 agrees with the data", "classes", "10", true),
            ("classes -1", "classes", "-1", false),
            ("layers empty", "layers", "[]", false),
            ("layers null", "layers", "null", false),
            ("layers a string", "layers", "\"conv\"", false),
            ("init unknown", "init", "\"zeros\"", false),
        })
        {
            var spec = JsonNode.Parse(valid)!.AsObject();
            spec[key] = JsonNode.Parse(value);
            yield return Model(what, spec.ToJsonString(), ok);
        }
        for (int i = 0; i < 6; i++)
            yield return Model($"truncated #{i}", Encoding.UTF8.GetString(m.Truncate(Encoding.UTF8.GetBytes(valid))), false);
        for (int i = 0; i < 6; i++)
            yield return Model($"bit flip #{i}", Encoding.Latin1.GetString(m.FlipBit(Encoding.UTF8.GetBytes(valid), 0, valid.Length)), true);
        yield return Model("random bytes", Encoding.Latin1.GetString(m.RandomBytes(300)), false);
        yield return Model("nested 2000 deep", new string('[', 2000) + new string(']', 2000), false);
        yield return new FuzzCase("model", "model file is a named pipe", false, c => { SpecialFiles.MakeFifo(c.File("m.json")); return Train(c); });
        yield return new FuzzCase("model", "model file is a folder", false, c => { Directory.CreateDirectory(c.File("m.json")); return Train(c); });
    }

    private static string EditLayer(string json, int layer, string key, string value)
    {
        var spec = JsonNode.Parse(json)!.AsObject();
        spec["layers"]![layer]![key] = JsonNode.Parse(value);
        return spec.ToJsonString();
    }

    private static FuzzCase Model(string name, string json, bool mayBeAccepted) =>
        new("model", name, mayBeAccepted, c =>
        {
            File.WriteAllText(c.File("m.json"), json);
            return Train(c);
        });

    private static string[] Train(FuzzContext c) =>
        ["train", "--model", c.File("m.json"), "--data", c.Fixture.Data, "--epochs", "1", "--batch-size", "32", "--output", c.File("run")];
}
