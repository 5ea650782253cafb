namespace CnnNative.Core;

// im2col/col2im and pooling: sizes come from the geometry records, which already rejected
// windows that do not fit.
public abstract partial class ComputeProvider
{
    public void Im2Col(Tensor x, in ConvGeometry geometry, Tensor col)
    {
        Own(x, nameof(x)); Own(col, nameof(col));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(col, geometry.ColumnLength, nameof(col));
        Distinct(x, col, nameof(x), nameof(col));
        Im2ColCore(x, geometry, col);
    }

    public void Col2Im(Tensor col, in ConvGeometry geometry, Tensor dx)
    {
        Own(col, nameof(col)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(col, geometry.ColumnLength, nameof(col));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(col, dx, nameof(col), nameof(dx));
        Col2ImCore(col, geometry, dx);
    }

    public void MaxPoolForward(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax)
    {
        Own(x, nameof(x)); Own(y, nameof(y)); Own(argmax, nameof(argmax));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(y, geometry.OutputLength, nameof(y));
        NeedLength(argmax, geometry.OutputLength, nameof(argmax));
        Distinct(x, y, nameof(x), nameof(y));
        Distinct(x, argmax, nameof(x), nameof(argmax));
        Distinct(y, argmax, nameof(y), nameof(argmax));
        MaxPoolForwardCore(x, geometry, y, argmax);
    }

    public void MaxPoolBackward(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx)
    {
        Own(dy, nameof(dy)); Own(argmax, nameof(argmax)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(dy, geometry.OutputLength, nameof(dy));
        NeedLength(argmax, geometry.OutputLength, nameof(argmax));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(dy, dx, nameof(dy), nameof(dx));
        Distinct(argmax, dx, nameof(argmax), nameof(dx));
        MaxPoolBackwardCore(dy, argmax, geometry, dx);
    }

    public void AvgPoolForward(Tensor x, in PoolGeometry geometry, Tensor y)
    {
        Own(x, nameof(x)); Own(y, nameof(y));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(y, geometry.OutputLength, nameof(y));
        Distinct(x, y, nameof(x), nameof(y));
        AvgPoolForwardCore(x, geometry, y);
    }

    public void AvgPoolBackward(Tensor dy, in PoolGeometry geometry, Tensor dx)
    {
        Own(dy, nameof(dy)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(dy, geometry.OutputLength, nameof(dy));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(dy, dx, nameof(dy), nameof(dx));
        AvgPoolBackwardCore(dy, geometry, dx);
    }

    protected abstract void Im2ColCore(Tensor x, in ConvGeometry geometry, Tensor col);
    protected abstract void Col2ImCore(Tensor col, in ConvGeometry geometry, Tensor dx);
    protected abstract void MaxPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax);
    protected abstract void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx);
    protected abstract void AvgPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y);
    protected abstract void AvgPoolBackwardCore(Tensor dy, in PoolGeometry geometry, Tensor dx);
}
