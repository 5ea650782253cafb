using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Fuzz;

/// <summary>Malformed safetensors checkpoints read by `cnn eval --checkpoint`.</summary>
internal static class SafeTensorsInputs
{
    public static IEnumerable<FuzzCase> Cases(FuzzFixture fixture)
    {
        var m = new Mutator(2);
        byte[] file = fixture.CheckpointFile;
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        int dataStart = 8 + headerLength;

        for (int i = 0; i < 10; i++)
            yield return Case($"truncated #{i}", m.Truncate(file));
        foreach (ulong claim in new ulong[] { 0, 1, 7, (ulong)headerLength - 1, (ulong)headerLength + 1, 1UL << 40, ulong.MaxValue })
        {
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(copy, claim);
            yield return Case($"header length claims {claim}", copy);
        }
        for (int i = 0; i < 8; i++)
            yield return Case($"header bit flip #{i}", m.FlipBit(file, 8, dataStart), mayBeAccepted: true);
        for (int i = 0; i < 6; i++)
            yield return Case($"weight bit flip #{i}", m.FlipBit(file, dataStart, file.Length), mayBeAccepted: true);

        // Edits of the JSON header, the data kept as it is.
        JsonObject Header() => JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        byte[] Rebuild(JsonObject header, byte[]? data = null) => Build(Encoding.UTF8.GetBytes(header.ToJsonString()), data ?? file.AsSpan(dataStart).ToArray());
        string[] tensors = [.. Header().Select(p => p.Key).Where(k => k != "__metadata__" && !k.StartsWith("optimizer.", StringComparison.Ordinal))];

        foreach (var (what, edit) in new (string, Action<JsonObject>)[]
        {
            ("shape doubled", t => t["shape"]![0] = t["shape"]![0]!.GetValue<int>() * 2),
            ("shape emptied", t => t["shape"] = new JsonArray()),
            ("shape negative", t => t["shape"]![0] = -1),
            ("shape as a string", t => t["shape"] = "4,1,3,3"),
            ("shape of 2^31", t => t["shape"]![0] = 2147483648L),
            ("dtype F16", t => t["dtype"] = "F16"),
            ("dtype I64", t => t["dtype"] = "I64"),
            ("dtype missing", t => t.Remove("dtype")),
            ("offsets as strings", t => t["data_offsets"] = new JsonArray("0", "64")),
            ("offsets reversed", t => t["data_offsets"] = new JsonArray(t["data_offsets"]![1]!.GetValue<long>(), t["data_offsets"]![0]!.GetValue<long>())),
            ("offsets past the end", t => t["data_offsets"]![1] = 1L << 40),
            ("offsets of 2^62", t => t["data_offsets"] = new JsonArray(1L << 62, (1L << 62) + 4)),
            ("description is a number", t => t.Parent!.AsObject()[Key(t)] = 42),
        })
        {
            string tensor = m.Pick(tensors);
            var header = Header();
            edit(header[tensor]!.AsObject());
            yield return Case($"tensor '{tensor}': {what}", Rebuild(header));
        }

        foreach (var (what, edit) in new (string, Action<JsonObject>)[]
        {
            ("model claims a 65536-unit affine layer", meta => meta["model"] = WithLayer(meta, """{ "type": "affine", "units": 65536 }""")),
            ("model claims a 1000-padded convolution", meta => meta["model"] = WithLayer(meta, """{ "type": "conv", "filters": 16, "kernel": 3, "pad": 1000 }""", first: true)),
            ("model is not JSON", meta => meta["model"] = "{ \"layers\": ["),
            ("model has 7 classes", meta => meta["model"] = Edit(meta["model"]!, spec => spec["classes"] = 7)),
            ("model input 3×32×32", meta => meta["model"] = Edit(meta["model"]!, spec => spec["input"] = new JsonArray(3, 32, 32))),
            ("format unknown", meta => meta["format"] = "cnnnative-checkpoint-99"),
            ("model missing", meta => meta.Remove("model")),
            ("class names missing one", meta => meta["classes"] = Edit(meta["classes"]!, c => c.AsArray().RemoveAt(0))),
            ("metadata value a number", meta => meta["seed"] = 5),
        })
        {
            var header = Header();
            edit(header["__metadata__"]!.AsObject());
            yield return Case($"metadata: {what}", Rebuild(header));
        }

        // The trainer's keys are read by `cnn train --resume` (eval ignores them): resumed, a bad
        // value is the checkpoint's fault and must be refused before anything is written.
        foreach (var (what, edit) in new (string, Action<JsonObject>)[]
        {
            ("batch size 0", meta => meta["hyperparameters"] = Edit(meta["hyperparameters"]!, h => h["batchSize"] = 0)),
            ("learning rate -1", meta => meta["hyperparameters"] = Edit(meta["hyperparameters"]!, h => h["optimizer"]!["learningRate"] = -1)),
            ("epochs 0", meta => meta["hyperparameters"] = Edit(meta["hyperparameters"]!, h => h["epochs"] = 0)),
            ("epoch negative", meta => meta["epoch"] = "-3"),
            ("metrics not JSON", meta => meta["metrics"] = "[{"),
        })
        {
            var header = Header();
            edit(header["__metadata__"]!.AsObject());
            byte[] content = Rebuild(header);
            yield return new FuzzCase("safetensors", $"resumed metadata: {what}", false, c =>
            {
                File.WriteAllBytes(c.File("model.safetensors"), content);
                return ["train", "--resume", c.File("model.safetensors"), "--data", c.Fixture.Data, "--epochs", "3"];
            });
        }

        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            string tensor = m.Pick(tensors);
            long begin = Header()[tensor]!["data_offsets"]![0]!.GetValue<long>();
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteSingleLittleEndian(copy.AsSpan(dataStart + (int)begin), bad);
            yield return Case($"tensor '{tensor}' holds {bad}", copy);
        }

        // A tensor name that is not UTF-8 (0xFF never occurs in UTF-8), same header length.
        {
            byte[] copy = (byte[])file.Clone();
            int at = file.AsSpan(8, headerLength).IndexOf(Encoding.UTF8.GetBytes($"\"{tensors[0]}\"")) + 8 + 1;
            copy[at] = 0xFF;
            yield return Case("tensor name not UTF-8", copy);
        }
        yield return Case("header names a tensor twice", Build(Encoding.UTF8.GetBytes(Header().ToJsonString().TrimEnd('}') + $",\"{tensors[0]}\":{Header()[tensors[0]]!.ToJsonString()}}}"), file.AsSpan(dataStart).ToArray()));
        yield return Case("header is an array", Build("[1, 2, 3]"u8.ToArray(), []));
        yield return Case("empty file", []);
        yield return Case("random bytes", m.RandomBytes(4096));
        yield return new FuzzCase("safetensors", "checkpoint is a named pipe", false, c => { SpecialFiles.MakeFifo(c.File("model.safetensors")); return Eval(c, c.File("model.safetensors")); });
        yield return new FuzzCase("safetensors", "checkpoint is a folder", false, c => { Directory.CreateDirectory(c.File("model.safetensors")); return Eval(c, c.File("model.safetensors")); });
        yield return new FuzzCase("safetensors", "checkpoint links to /dev/urandom", false, c => { File.CreateSymbolicLink(c.File("model.safetensors"), "/dev/urandom"); return Eval(c, c.File("model.safetensors")); });
    }

    private static string Key(JsonObject tensor) => tensor.GetPropertyName();

    private static string WithLayer(JsonObject meta, string layerJson, bool first = false) =>
        Edit(meta["model"]!, spec =>
        {
            var layers = spec["layers"]!.AsArray();
            var layer = JsonNode.Parse(layerJson)!;
            if (first) layers.Insert(0, layer);
            else layers.Insert(layers.Count - 1, layer);
        });

    /// <summary>Parses a metadata value (itself JSON text), edits it, and serialises it back to text.</summary>
    private static string Edit(JsonNode text, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(text.GetValue<string>())!;
        edit(node);
        return node.ToJsonString();
    }

    private static byte[] Build(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    private static FuzzCase Case(string name, byte[] content, bool mayBeAccepted = false) =>
        new("safetensors", name, mayBeAccepted, c =>
        {
            File.WriteAllBytes(c.File("model.safetensors"), content);
            return Eval(c, c.File("model.safetensors"));
        });

    private static string[] Eval(FuzzContext c, string checkpoint) => ["eval", "--checkpoint", checkpoint, "--data", c.Fixture.Data];
}
