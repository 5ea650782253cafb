using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Splits sample indices into two parts with each class in the same proportion, as
/// scikit-learn's <c>train_test_split(…, stratify=y)</c> does for seed 003: every class is
/// shuffled by a permutation drawn from (seed, class) with <see cref="CounterRng"/>, and its
/// first round(count × fraction) samples are held out. The same seed always gives the same split.
/// </summary>
internal static class StratifiedSplit
{
    /// <summary>The stream namespace of these permutations ("STRT"), apart from shuffling, dropout and initialisation.</summary>
    public const ulong Stream = 0x5354_5254_0000_0000UL;

    /// <summary>
    /// Indices of the kept and held-out samples, each in ascending order (so the held-out set reads
    /// like a file). <paramref name="heldOutFraction"/> is in (0, 1); every class keeps at least one
    /// sample on each side when it has two or more.
    /// </summary>
    public static (int[] Kept, int[] HeldOut) Split(ReadOnlySpan<float> labels, int classes, double heldOutFraction, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (!(heldOutFraction > 0 && heldOutFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out fraction must lie strictly between 0 and 1.");
        var byClass = new List<int>[classes];
        for (int c = 0; c < classes; c++) byClass[c] = [];
        for (int i = 0; i < labels.Length; i++) byClass[(int)labels[i]].Add(i);
        var kept = new List<int>(labels.Length);
        var heldOut = new List<int>(labels.Length);
        for (int c = 0; c < classes; c++)
        {
            var members = byClass[c];
            ulong key = CounterRng.StreamKey(seed, Stream | (uint)c);
            for (int i = members.Count - 1; i > 0; i--)
            {
                int j = (int)(CounterRng.Bits(key, (ulong)i) % (ulong)(i + 1));
                (members[i], members[j]) = (members[j], members[i]);
            }
            int take = (int)Math.Round(members.Count * heldOutFraction, MidpointRounding.AwayFromZero);
            if (members.Count >= 2) take = Math.Clamp(take, 1, members.Count - 1);
            heldOut.AddRange(members.Take(take));
            kept.AddRange(members.Skip(take));
        }
        kept.Sort();
        heldOut.Sort();
        return ([.. kept], [.. heldOut]);
    }
}
