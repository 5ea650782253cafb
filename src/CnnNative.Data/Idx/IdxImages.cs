namespace CnnNative.Data;

/// <summary>The contents of an IDX images file, pixels normalised to [0, 1].</summary>
/// <param name="Count">Number of images.</param>
/// <param name="Rows">Image height.</param>
/// <param name="Columns">Image width.</param>
/// <param name="Pixels">count × rows × cols values, row-major, each the byte value / 255.</param>
public sealed record IdxImages(int Count, int Rows, int Columns, float[] Pixels);
