namespace CnnNative.Providers.Managed.Gemm;

/// <summary>An integer the JIT sees as a constant when a generic kernel is specialised for the struct.</summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal struct N1 : IConstant { public static int Value => 1; }
internal struct N2 : IConstant { public static int Value => 2; }
internal struct N4 : IConstant { public static int Value => 4; }
internal struct N6 : IConstant { public static int Value => 6; }
internal struct N8 : IConstant { public static int Value => 8; }
internal struct N12 : IConstant { public static int Value => 12; }

/// <summary>How the micro-kernel walks A: which of row and k is adjacent in memory.</summary>
internal interface IALayout
{
    /// <summary>True: element (r, p) at a[r·stride + p] (untransposed A, read in place). False: at a[r + p·stride] (packed panel or transposed A).</summary>
    static abstract bool KContiguous { get; }
}

/// <summary>Rows adjacent: a packed A panel (stride = panel rows) or transposed A read in place (stride = lda).</summary>
internal struct RowsAdjacent : IALayout { public static bool KContiguous => false; }

/// <summary>k adjacent: untransposed A read in place, rows lda apart.</summary>
internal struct KAdjacent : IALayout { public static bool KContiguous => true; }

/// <summary>How the micro-kernel reads B: a packed panel, or B itself in place.</summary>
internal interface IBLayout
{
    /// <summary>True: B's own rows, ldb apart, the lanes past its last column masked off. False: a packed, zero-padded panel of 32 floats per k step.</summary>
    static abstract bool InPlace { get; }
}

/// <summary>A packed B panel (<see cref="Packing.PackB"/>).</summary>
internal struct BPacked : IBLayout { public static bool InPlace => false; }

/// <summary>An untransposed B of at most one tile's columns, read where it lies: no packing pass over a long, narrow B.</summary>
internal struct BInPlace : IBLayout { public static bool InPlace => true; }
