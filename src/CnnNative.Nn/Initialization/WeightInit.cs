using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnNative.Nn;

/// <summary>How a weight is drawn: N(0, σ²) with σ fixed, or scaled by the fan-in.</summary>
public enum WeightInitKind
{
    /// <summary>σ = a fixed standard deviation (the book's weight_init_std = 0.01).</summary>
    Normal,
    /// <summary>σ = √(1 / fan-in) (the book's "xavier", for sigmoid).</summary>
    Xavier,
    /// <summary>σ = √(2 / fan-in) (the book's "he", for ReLU).</summary>
    He,
}

/// <summary>
/// A weight initialisation. In a model file it is written <c>"he"</c>, <c>"xavier"</c> or a
/// number, the fixed standard deviation (<c>0.01</c>).
/// </summary>
[JsonConverter(typeof(WeightInitJsonConverter))]
public readonly record struct WeightInit(WeightInitKind Kind, double Std = 0)
{
    /// <summary>The book's default: 0.01·N(0, 1).</summary>
    public static WeightInit Book => Normal(0.01);

    /// <summary>σ = √(2 / fan-in), for ReLU networks; written "he" in model files.</summary>
    public static WeightInit He => new(WeightInitKind.He);

    /// <summary>σ = √(1 / fan-in), for sigmoid and tanh networks; written "xavier" in model files.</summary>
    public static WeightInit Xavier => new(WeightInitKind.Xavier);

    /// <summary>A fixed σ = <paramref name="std"/>, whatever the fan-in; written as the number in model files.</summary>
    /// <exception cref="InvalidModelException"><paramref name="std"/> is not in (0, 100].</exception>
    public static WeightInit Normal(double std)
    {
        if (!(std > 0 && double.IsFinite(std) && std <= 100))
            throw new InvalidModelException($"A fixed weight standard deviation must be in (0, 100], got {std}.");
        return new WeightInit(WeightInitKind.Normal, std);
    }

    /// <summary>The standard deviation for a weight with <paramref name="fanIn"/> inputs per unit.</summary>
    public double StdFor(int fanIn) => Kind switch
    {
        WeightInitKind.Xavier => Math.Sqrt(1.0 / fanIn),
        WeightInitKind.He => Math.Sqrt(2.0 / fanIn),
        _ => Std,
    };

    /// <summary>Parses "he", "xavier" or a number (the fixed σ); the message lists the choices.</summary>
    public static WeightInit Parse(string text)
    {
        string t = text.Trim();
        if (t.Equals("he", StringComparison.OrdinalIgnoreCase)) return He;
        if (t.Equals("xavier", StringComparison.OrdinalIgnoreCase)) return Xavier;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double std)) return Normal(std);
        throw new InvalidModelException($"Unknown weight initialisation '{text}'; use \"he\", \"xavier\" or a number (the standard deviation, e.g. 0.01).");
    }

    /// <summary>The model-file form: "he", "xavier" or the fixed σ (invariant culture), which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Kind switch
    {
        WeightInitKind.He => "he",
        WeightInitKind.Xavier => "xavier",
        _ => Std.ToString("R", CultureInfo.InvariantCulture),
    };
}

/// <summary>Reads "he" / "xavier" / a number; writes the same.</summary>
internal sealed class WeightInitJsonConverter : JsonConverter<WeightInit>
{
    /// <inheritdoc/>
    public override WeightInit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => WeightInit.Normal(reader.GetDouble()),
            JsonTokenType.String => WeightInit.Parse(reader.GetString()!),
            _ => throw new InvalidModelException("A weight initialisation must be \"he\", \"xavier\" or a number (the standard deviation)."),
        };

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, WeightInit value, JsonSerializerOptions options)
    {
        if (value.Kind == WeightInitKind.Normal) writer.WriteNumberValue(value.Std);
        else writer.WriteStringValue(value.ToString());
    }
}
