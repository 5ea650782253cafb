using System.Text.Json.Serialization;

namespace CnnNative.Nn;

/// <summary>A height × width pair: a kernel, pooling window, stride or padding. Square when both are equal.</summary>
[JsonConverter(typeof(Size2JsonConverter))]
public readonly record struct Size2(int Height, int Width)
{
    /// <summary>Both sides <paramref name="size"/>.</summary>
    public static Size2 Square(int size) => new(size, size);

    /// <summary>An int is a square size, so <c>kernel: 3</c> means 3×3.</summary>
    public static implicit operator Size2(int size) => new(size, size);

    /// <summary>True when height equals width.</summary>
    public bool IsSquare => Height == Width;

    /// <summary>"H×W", e.g. "3×3".</summary>
    public override string ToString() => $"{Height}×{Width}";
}
