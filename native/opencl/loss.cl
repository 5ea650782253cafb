// Softmax, softmax-cross-entropy and accuracy over [rows, cols] score matrices. Labels are
// class indices stored as floats. The scalar results (loss, correct count) are reduced on
// the device by one work-group, so a training step downloads one number, not a matrix.

// probs[r, :] = softmax(logits[r, :]) for one row; probs may be logits.
inline void softmax_row(__global const float* z, __global float* p, const int cols)
{
    float m = z[0];
    for (int j = 1; j < cols; j++) m = fmax(m, z[j]);
    float s = 0.0f;
    for (int j = 0; j < cols; j++) { const float e = exp(z[j] - m); p[j] = e; s += e; }
    const float inv = 1.0f / s;
    for (int j = 0; j < cols; j++) p[j] *= inv;
}

__kernel void softmax(__global const float* logits, __global float* probs, const int rows, const int cols)
{
    const int r = get_global_id(0);
    if (r < rows) softmax_row(logits + r * cols, probs + r * cols, cols);
}

// A label outside [0, cols) is the caller's error, reported the way the host providers
// report it (ArgumentOutOfRangeException naming the row), but without a round trip per call:
// the kernel records it in labelError — [0] the smallest bad row (INT_MAX: none), [1] that
// label's bits — and the host reads those two ints with the next download (OpenClProvider).
// Only a bad label touches labelError, so a correct batch pays nothing but the argument.
inline void report_bad_label(__global int* labelError, const int row, const float label)
{
    if (atomic_min(&labelError[0], row) > row) labelError[1] = as_int(label);
}

// One work-group of REDUCE_WG: loss[0] = −(1/rows)·Σ_r log(probs[r, label_r] + 1e-7).
// A bad label makes the loss NaN (and is reported) rather than reading out of bounds.
__kernel void softmax_xent_forward(__global const float* logits, __global const float* labels,
                                   __global float* probs, __global float* loss, const int rows, const int cols,
                                   __global int* labelError)
{
    __local float scratch[REDUCE_WG];
    const int lid = get_local_id(0);
    float s = 0.0f;
    for (int r = lid; r < rows; r += REDUCE_WG)
    {
        softmax_row(logits + r * cols, probs + r * cols, cols);
        const float t = labels[r];
        if (t >= 0.0f && t < (float)cols)
            s += log(probs[r * cols + (int)t] + 1e-7f);
        else
        {
            s = NAN;
            report_bad_label(labelError, r, t);
        }
    }
    const float total = group_sum(scratch, s);
    if (lid == 0) loss[0] = -total / (float)rows;
}

// dx = (probs − onehot(labels)) / rows; dx may be probs. A row with a bad label is left
// untouched (as the host providers leave it) and reported.
__kernel void softmax_xent_backward(__global const float* probs, __global const float* labels,
                                    __global float* dx, const int rows, const int cols, const uint2 dCols,
                                    __global int* labelError)
{
    const int e = get_global_id(0);
    if (e >= rows * cols) return;
    const int r = fdiv(e, dCols);
    const int j = e - r * cols;
    const float t = labels[r];
    if (!(t >= 0.0f && t < (float)cols))
    {
        if (j == 0) report_bad_label(labelError, r, t);
        return;
    }
    const float target = (int)t == j ? 1.0f : 0.0f;
    dx[e] = (probs[e] - target) / (float)rows;
}

// One work-group of REDUCE_WG: counter[0] += rows whose first maximum is the label.
__kernel void count_correct(__global const float* scores, __global const float* labels,
                            __global float* counter, const int rows, const int cols)
{
    __local float scratch[REDUCE_WG];
    const int lid = get_local_id(0);
    float hits = 0.0f;
    for (int r = lid; r < rows; r += REDUCE_WG)
    {
        __global const float* z = scores + r * cols;
        int best = 0;
        for (int j = 1; j < cols; j++)
            if (z[j] > z[best]) best = j;
        if (best == (int)labels[r]) hits += 1.0f;
    }
    const float total = group_sum(scratch, hits);
    if (lid == 0) counter[0] += total;
}
