namespace CnnNative.Core;

internal static class GeometryCheck
{
    public static void Positive(int value, string name)
    {
        if (value <= 0)
            throw new InvalidGeometryException($"{name} must be positive, got {value}.", name);
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0)
            throw new InvalidGeometryException($"{name} must not be negative, got {value}.", name);
    }

    public static int OutputSize(int size, int kernel, int stride, int pad, string axis)
    {
        int span = size + 2 * pad - kernel;
        if (span < 0)
            throw new InvalidGeometryException(
                $"The {kernel}-wide window does not fit the {axis} {size} with padding {pad}: input {axis} + 2·padding must be at least the window.",
                axis);
        return span / stride + 1;
    }

    public static void FitsInt(long elements, string what)
    {
        if (elements > int.MaxValue)
            throw new InvalidGeometryException($"The {what} would hold {elements} elements, more than {int.MaxValue}.", what);
    }
}
