using CnnNative.Core;
using System.Text.Json;

namespace CnnNative.Nn.Filters;

/// <summary>
/// Custom kernels as JSON: <c>{"name": "emboss", "kernel": [[-2,-1,0],[-1,1,1],[0,1,2]], "description": "…"}</c>
/// ("description" optional). Rows must be equally long, both sides odd, every weight a finite number of magnitude at most <see cref="ImageKernel.MaxWeight"/>.
/// </summary>
internal static class KernelJson
{
    /// <param name="json">The file's text.</param>
    /// <param name="source">Where it came from (a path), named in error messages.</param>
    public static ImageKernel Parse(string json, string source = "the kernel JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new KernelFormatException($"{source} is not valid JSON (line {ex.LineNumber + 1}): expected {{\"name\": …, \"kernel\": [[…], …]}}.", ex);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new KernelFormatException($"{source} must hold an object {{\"name\": …, \"kernel\": [[…], …]}}, not a {Kind(root)}.");

            string name = root.TryGetProperty("name", out JsonElement nameElement) && nameElement.ValueKind == JsonValueKind.String
                ? nameElement.GetString()!
                : throw new KernelFormatException($"{source} needs a \"name\" string.");
            if (ImageKernel.NameProblem(name) is { } nameProblem)
                throw new KernelFormatException($"{source}: {nameProblem}");

            string description = root.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()!
                : "Custom kernel.";

            if (!root.TryGetProperty("kernel", out JsonElement rows) || rows.ValueKind != JsonValueKind.Array)
                throw new KernelFormatException($"{source} needs a \"kernel\" array of rows, such as [[0, 1, 0], [1, -4, 1], [0, 1, 0]].");
            return new ImageKernel(name, ReadWeights(rows, source), description);
        }
    }

    /// <summary>Reads and parses a kernel file.</summary>
    public static ImageKernel Load(string path) => Parse(RegularFile.ReadAllText(path), path);

    private static double[,] ReadWeights(JsonElement rows, string source)
    {
        int height = rows.GetArrayLength();
        int width = -1;
        int r = 0;
        foreach (JsonElement row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
                throw new KernelFormatException($"{source}: kernel row {r + 1} is a {Kind(row)}, not an array of numbers.");
            int length = row.GetArrayLength();
            if (width < 0) width = length;
            else if (length != width)
                throw new KernelFormatException($"{source}: kernel row {r + 1} has {length} numbers but row 1 has {width}; a kernel must be rectangular.");
            r++;
        }
        if (ImageKernel.SizeProblem(height, Math.Max(width, 0)) is { } sizeProblem)
            throw new KernelFormatException($"{source}: {sizeProblem}");

        var weights = new double[height, width];
        r = 0;
        foreach (JsonElement row in rows.EnumerateArray())
        {
            int c = 0;
            foreach (JsonElement value in row.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double w) || !double.IsFinite(w))
                    throw new KernelFormatException(
                        $"{source}: kernel row {r + 1}, column {c + 1} is {value.GetRawText()}, not a finite number.");
                if (ImageKernel.WeightProblem(w) is { } weightProblem)
                    throw new KernelFormatException($"{source}: kernel row {r + 1}, column {c + 1}: {weightProblem}; scale the kernel down.");
                weights[r, c++] = w;
            }
            r++;
        }
        return weights;
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
