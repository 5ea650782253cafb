using CnnNative.Core;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// The contract's checks on data, which every provider must fail the same way: a label that is
/// not a class index is an ArgumentOutOfRangeException naming labels and the row (a device
/// provider may raise it with the next download), never a NaN loss; afterwards the provider
/// still works.
/// </summary>
internal static class ContractCases
{
    public static IEnumerable<EquivalenceCase> All()
    {
        foreach (float bad in new[] { -1f, 4f, float.NaN })
        {
            yield return new EquivalenceCase("contract", $"label {bad} of 4 classes in the loss", CheckTolerance.Kernel, p =>
                Outcome(p, bad, (logits, labels, probs, loss, dx) => p.SoftmaxCrossEntropyForward(logits, labels, probs, loss)));
            yield return new EquivalenceCase("contract", $"label {bad} of 4 classes in the loss gradient", CheckTolerance.Kernel, p =>
                Outcome(p, bad, (logits, labels, probs, loss, dx) => p.SoftmaxCrossEntropyBackward(probs, labels, dx)));
        }
    }

    private static List<CheckOutput> Outcome(IComputeProvider p, float bad, Action<Tensor, Tensor, Tensor, Tensor, Tensor> call)
    {
        using var d = new CheckData(p, 9);
        var logits = d.Random(5, 4);
        var labels = d.Tensor([0, 1, 2, bad, 3], 5);
        var probs = d.Random(5, 4);
        var loss = d.Random(1);
        var dx = d.Random(5, 4);
        string outcome;
        try
        {
            call(logits, labels, probs, loss, dx);
            p.Synchronize();
            outcome = "no error";
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "labels")
        {
            outcome = e.Message.Contains("labels[3]", StringComparison.Ordinal)
                ? "ArgumentOutOfRangeException(labels), row 3"
                : "ArgumentOutOfRangeException(labels), wrong row: " + e.Message;
        }
        catch (Exception e)
        {
            outcome = $"{e.GetType().Name}: {e.Message}";
        }

        // Still usable: a good label afterwards gives a finite loss.
        p.Upload([0, 1, 2, 3, 3], labels);
        p.SoftmaxCrossEntropyForward(logits, labels, probs, loss);
        return [CheckOutput.Of("outcome", outcome), d.Read("loss after a good batch", loss)];
    }
}
