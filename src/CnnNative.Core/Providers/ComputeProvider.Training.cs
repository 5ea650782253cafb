namespace CnnNative.Core;

// Loss, metrics, batch normalisation, dropout and optimizer updates.
public abstract partial class ComputeProvider
{
    /// <inheritdoc/>
    public void Softmax(Tensor logits, Tensor probs)
    {
        Own(logits, nameof(logits)); Own(probs, nameof(probs));
        var (rows, cols) = Matrix(logits, nameof(logits));
        SameLength(probs, logits, nameof(probs), nameof(logits));
        SoftmaxCore(logits, probs, rows, cols);
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor loss)
    {
        Own(logits, nameof(logits)); Own(labels, nameof(labels)); Own(probs, nameof(probs)); Own(loss, nameof(loss));
        var (rows, cols) = Matrix(logits, nameof(logits));
        SameLength(probs, logits, nameof(probs), nameof(logits));
        NeedLength(labels, rows, nameof(labels));
        Distinct(labels, probs, nameof(labels), nameof(probs));
        Distinct(loss, probs, nameof(loss), nameof(probs));
        Distinct(loss, logits, nameof(loss), nameof(logits));
        SoftmaxCrossEntropyForwardCore(logits, labels, probs, loss, rows, cols);
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, Tensor dx)
    {
        Own(probs, nameof(probs)); Own(labels, nameof(labels)); Own(dx, nameof(dx));
        var (rows, cols) = Matrix(probs, nameof(probs));
        SameLength(dx, probs, nameof(dx), nameof(probs));
        NeedLength(labels, rows, nameof(labels));
        Distinct(labels, dx, nameof(labels), nameof(dx));
        SoftmaxCrossEntropyBackwardCore(probs, labels, dx, rows, cols);
    }

    /// <inheritdoc/>
    public void CountCorrect(Tensor scores, Tensor labels, Tensor counter)
    {
        Own(scores, nameof(scores)); Own(labels, nameof(labels)); Own(counter, nameof(counter));
        var (rows, cols) = Matrix(scores, nameof(scores));
        NeedLength(labels, rows, nameof(labels));
        Distinct(scores, counter, nameof(scores), nameof(counter));
        Distinct(labels, counter, nameof(labels), nameof(counter));
        CountCorrectCore(scores, labels, counter, rows, cols);
    }

    /// <inheritdoc/>
    public void BatchNormForwardTraining(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon,
        Tensor y, Tensor saveMean, Tensor saveInvStd)
    {
        Own(x, nameof(x)); Own(y, nameof(y));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.Length, nameof(x));
        NeedLength(y, geometry.Length, nameof(y));
        Distinct(x, y, nameof(x), nameof(y));
        PerChannel(geometry, (gamma, nameof(gamma)), (beta, nameof(beta)), (runningMean, nameof(runningMean)),
            (runningVar, nameof(runningVar)), (saveMean, nameof(saveMean)), (saveInvStd, nameof(saveInvStd)));
        BatchNormScalars(momentum, epsilon);
        BatchNormForwardTrainingCore(x, geometry, gamma, beta, runningMean, runningVar, momentum, epsilon, y, saveMean, saveInvStd);
    }

    /// <inheritdoc/>
    public void BatchNormForwardInference(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y)
    {
        Own(x, nameof(x)); Own(y, nameof(y));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.Length, nameof(x));
        NeedLength(y, geometry.Length, nameof(y));
        PerChannel(geometry, (gamma, nameof(gamma)), (beta, nameof(beta)), (runningMean, nameof(runningMean)), (runningVar, nameof(runningVar)));
        BatchNormScalars(0f, epsilon);
        BatchNormForwardInferenceCore(x, geometry, gamma, beta, runningMean, runningVar, epsilon, y);
    }

    /// <inheritdoc/>
    public void BatchNormBackward(Tensor dy, Tensor x, in BatchNormGeometry geometry, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta)
    {
        Own(dy, nameof(dy)); Own(x, nameof(x)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(dy, geometry.Length, nameof(dy));
        NeedLength(x, geometry.Length, nameof(x));
        NeedLength(dx, geometry.Length, nameof(dx));
        Distinct(x, dx, nameof(x), nameof(dx));
        PerChannel(geometry, (gamma, nameof(gamma)), (saveMean, nameof(saveMean)), (saveInvStd, nameof(saveInvStd)),
            (dgamma, nameof(dgamma)), (dbeta, nameof(dbeta)));
        Distinct(dgamma, dbeta, nameof(dgamma), nameof(dbeta));
        BatchNormBackwardCore(dy, x, geometry, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);
    }

    /// <inheritdoc/>
    public void DropoutForward(Tensor x, float ratio, ulong seed, ulong stream, Tensor y, Tensor mask)
    {
        Own(x, nameof(x)); Own(y, nameof(y)); Own(mask, nameof(mask));
        SameLength(y, x, nameof(y), nameof(x));
        SameLength(mask, x, nameof(mask), nameof(x));
        Distinct(x, mask, nameof(x), nameof(mask));
        Distinct(y, mask, nameof(y), nameof(mask));
        if (!(ratio >= 0f && ratio < 1f))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The dropout ratio must be in [0, 1).");
        DropoutForwardCore(x, ratio, CounterRng.StreamKey(seed, stream), y, mask);
    }

    /// <inheritdoc/>
    public void SgdStep(Tensor param, Tensor grad, float learningRate, float weightDecay)
    {
        Update(param, grad, learningRate, weightDecay);
        SgdStepCore(param, grad, learningRate, weightDecay);
    }

    /// <inheritdoc/>
    public void MomentumStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    {
        Update(param, grad, learningRate, weightDecay, (velocity, nameof(velocity)));
        Finite(momentum, nameof(momentum));
        MomentumStepCore(param, grad, velocity, learningRate, momentum, weightDecay);
    }

    /// <inheritdoc/>
    public void NesterovStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    {
        Update(param, grad, learningRate, weightDecay, (velocity, nameof(velocity)));
        Finite(momentum, nameof(momentum));
        NesterovStepCore(param, grad, velocity, learningRate, momentum, weightDecay);
    }

    /// <inheritdoc/>
    public void AdaGradStep(Tensor param, Tensor grad, Tensor h, float learningRate, float weightDecay)
    {
        Update(param, grad, learningRate, weightDecay, (h, nameof(h)));
        AdaGradStepCore(param, grad, h, learningRate, weightDecay);
    }

    /// <inheritdoc/>
    public void RmsPropStep(Tensor param, Tensor grad, Tensor h, float learningRate, float decayRate, float weightDecay)
    {
        Update(param, grad, learningRate, weightDecay, (h, nameof(h)));
        Finite(decayRate, nameof(decayRate));
        RmsPropStepCore(param, grad, h, learningRate, decayRate, weightDecay);
    }

    /// <inheritdoc/>
    public void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRateT, float beta1, float beta2, float weightDecay)
    {
        Update(param, grad, learningRateT, weightDecay, (m, nameof(m)), (v, nameof(v)));
        Finite(beta1, nameof(beta1)); Finite(beta2, nameof(beta2));
        AdamStepCore(param, grad, m, v, learningRateT, beta1, beta2, weightDecay);
    }

    private void PerChannel(in BatchNormGeometry geometry, params ReadOnlySpan<(Tensor Tensor, string Name)> tensors)
    {
        foreach (var (t, name) in tensors)
        {
            Own(t, name);
            NeedLength(t, geometry.Channels, name);
        }
    }

    private static void BatchNormScalars(float momentum, float epsilon)
    {
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Batch-norm momentum must be in [0, 1].");
        if (!(epsilon > 0f && float.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Batch-norm epsilon must be positive.");
    }

    /// <summary>Parameter, gradient and state tensors: all distinct (Adam's m and v too) and of one length.</summary>
    private void Update(Tensor param, Tensor grad, float learningRate, float weightDecay,
        params ReadOnlySpan<(Tensor Tensor, string Name)> state)
    {
        Own(param, nameof(param)); Own(grad, nameof(grad));
        SameLength(grad, param, nameof(grad), nameof(param));
        Distinct(param, grad, nameof(param), nameof(grad));
        Finite(learningRate, nameof(learningRate)); Finite(weightDecay, nameof(weightDecay));
        for (int i = 0; i < state.Length; i++)
        {
            var (t, name) = state[i];
            Own(t, name);
            SameLength(t, param, name, nameof(param));
            Distinct(param, t, nameof(param), name);
            Distinct(grad, t, nameof(grad), name);
            for (int j = 0; j < i; j++) Distinct(state[j].Tensor, t, state[j].Name, name);
        }
    }
}
