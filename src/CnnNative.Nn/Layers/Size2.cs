using System.Text.Json.Serialization;

namespace CnnNative.Nn;

/// <summary>A height × width pair: a kernel, pooling window, stride or padding. Square when both are equal.</summary>
[JsonConverter(typeof(Size2JsonConverter))]
public readonly record struct Size2(int Height, int Width)
{
    public static Size2 Square(int size) => new(size, size);

    public static implicit operator Size2(int size) => new(size, size);

    public bool IsSquare => Height == Width;

    public override string ToString() => $"{Height}×{Width}";
}
