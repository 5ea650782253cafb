using System.Numerics.Tensors;
using CnnNative.Core;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Row-wise softmax, cross-entropy and accuracy. Rows are short (the class count), so these run
/// on one thread; TensorPrimitives vectorises within a row. The max is subtracted before exp
/// (TensorPrimitives.SoftMax does not, and overflows on large logits).
/// </summary>
internal static unsafe class SoftmaxKernels
{
    /// <summary>probs = softmax(logits) row by row. probs may be logits.</summary>
    public static void Softmax(float* logits, float* probs, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var x = new ReadOnlySpan<float>(logits + (long)r * cols, cols);
            var p = new Span<float>(probs + (long)r * cols, cols);
            float max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, p);
            TensorPrimitives.Exp(p, p);
            float sum = TensorPrimitives.Sum(p);
            TensorPrimitives.Divide(p, sum, p);
        }
    }

    /// <summary>The class index row <paramref name="row"/> of labels names; throws when it is not one of the classes.</summary>
    public static int Label(float* labels, int row, int cols)
    {
        float t = labels[row];
        if (!(t >= 0f && t < cols))
            throw ComputeProvider.LabelOutOfRange(row, t, cols);
        return (int)t;
    }

    /// <summary>−(1/N)·Σ log(probs[n, label n] + 1e-7), summed in double.</summary>
    public static float CrossEntropy(float* probs, float* labels, int rows, int cols)
    {
        double sum = 0;
        for (int r = 0; r < rows; r++)
            sum -= Math.Log(probs[(long)r * cols + Label(labels, r, cols)] + 1e-7);
        return (float)(sum / rows);
    }

    /// <summary>dx = (probs − onehot(labels)) / N. dx may be probs.</summary>
    public static void CrossEntropyBackward(float* probs, float* labels, float* dx, int rows, int cols)
    {
        // Check every label before writing, so a bad label leaves dx (possibly probs) untouched.
        for (int r = 0; r < rows; r++) Label(labels, r, cols);
        float scale = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            long at = (long)r * cols;
            int label = (int)labels[r];
            float hit = probs[at + label];
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(probs + at, cols), scale, new Span<float>(dx + at, cols));
            dx[at + label] = (hit - 1f) * scale;
        }
    }

    /// <summary>Rows whose first maximum is at the label's index.</summary>
    public static int CountCorrect(float* scores, float* labels, int rows, int cols)
    {
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            float* row = scores + (long)r * cols;
            int best = 0;
            for (int j = 1; j < cols; j++) if (row[j] > row[best]) best = j;
            if (best == (int)labels[r]) correct++;
        }
        return correct;
    }
}
