using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnNative.Nn;

/// <summary>Reads a <see cref="Size2"/> written as <c>3</c> (square) or <c>[3, 5]</c> (height, width); writes the same.</summary>
internal sealed class Size2JsonConverter : JsonConverter<Size2>
{
    public override Size2 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return Size2.Square(reader.GetInt32());
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number)
            {
                int h = reader.GetInt32();
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number)
                {
                    int w = reader.GetInt32();
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.EndArray) return new Size2(h, w);
                }
            }
        }
        throw new JsonException("A kernel, window, stride or padding must be a whole number or a [height, width] pair.");
    }

    public override void Write(Utf8JsonWriter writer, Size2 value, JsonSerializerOptions options)
    {
        if (value.IsSquare)
        {
            writer.WriteNumberValue(value.Height);
            return;
        }
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Height);
        writer.WriteNumberValue(value.Width);
        writer.WriteEndArray();
    }
}
