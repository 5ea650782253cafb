using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Bad calls: every operation, one broken argument at a time, must throw the same exception
// type naming the same parameter on every provider — before any kernel runs.
public abstract partial class ProviderConformanceTests
{
    /// <summary>
    /// Allocates every argument of <paramref name="call"/> on <paramref name="provider"/> as a
    /// view of a buffer big enough for any argument, so another argument can alias it.
    /// </summary>
    private static Tensor[] Arguments(IComputeProvider provider, OpCall call, List<Tensor> owned)
    {
        int capacity = call.Args.Max(a => a.Shape.Length) + 16;
        var args = new Tensor[call.Args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            var buffer = provider.Allocate(new TensorShape(capacity));
            owned.Add(buffer);
            args[i] = buffer.View(call.Args[i].Shape);
        }
        return args;
    }

    private static void DisposeAll(List<Tensor> owned)
    {
        foreach (var t in owned) t.Dispose();
    }

    private static T Throws<T>(OpCall call, string broken, Action action, string expectedParam) where T : ArgumentException
    {
        var e = Record.Exception(action);
        Assert.True(e is T, $"{call.Operation} with {broken} should throw {typeof(T).Name}, threw {(e is null ? "nothing" : e.GetType().Name + ": " + e.Message)}");
        var typed = (T)e!;
        Assert.True(typed.ParamName == expectedParam,
            $"{call.Operation} with {broken}: {typeof(T).Name} names parameter '{typed.ParamName}', expected '{expectedParam}' ({typed.Message})");
        Assert.False(string.IsNullOrWhiteSpace(typed.Message));
        return typed;
    }

    [ProviderTheory]
    [MemberData(nameof(OpCatalog.Operations), MemberType = typeof(OpCatalog))]
    public void Catalogued_valid_call_succeeds(string operation)
    {
        // The baseline for the error tests below: unbroken, the call is accepted.
        var call = OpCatalog.Get(operation);
        var owned = new List<Tensor>();
        try
        {
            call.Invoke(Provider, Arguments(Provider, call, owned));
            Provider.Synchronize();
        }
        finally { DisposeAll(owned); }
    }

    [ProviderTheory]
    [MemberData(nameof(OpCatalog.Operations), MemberType = typeof(OpCatalog))]
    public void Foreign_or_disposed_tensor_is_rejected_naming_the_argument(string operation)
    {
        var call = OpCatalog.Get(operation);
        var owned = new List<Tensor>();
        try
        {
            for (int i = 0; i < call.Args.Length; i++)
            {
                var arg = call.Args[i];
                foreach (var (stranger, label) in new[] { (SecondInstance, "another instance of the same provider"), ((IComputeProvider)Oracle, "the reference provider") })
                {
                    var args = Arguments(Provider, call, owned);
                    var foreign = stranger.Allocate(arg.Shape);
                    owned.Add(foreign);
                    args[i] = foreign;
                    Throws<ForeignTensorException>(call, $"{arg.Name} from {label}", () => call.Invoke(Provider, args), arg.Name);
                }

                var withDisposed = Arguments(Provider, call, owned);
                var disposed = Provider.Allocate(arg.Shape);
                disposed.Dispose();
                withDisposed[i] = disposed;
                Throws<ForeignTensorException>(call, $"{arg.Name} disposed", () => call.Invoke(Provider, withDisposed), arg.Name);
            }
        }
        finally { DisposeAll(owned); }
    }

    [ProviderTheory]
    [MemberData(nameof(OpCatalog.Operations), MemberType = typeof(OpCatalog))]
    public void Too_short_tensor_is_rejected_naming_the_argument(string operation)
    {
        var call = OpCatalog.Get(operation);
        var owned = new List<Tensor>();
        try
        {
            for (int i = 0; i < call.Args.Length; i++)
            {
                var arg = call.Args[i];
                if (arg.Shape.Length == 1) continue; // nothing shorter exists
                var args = Arguments(Provider, call, owned);
                args[i] = args[i].View(arg.Shape.Length - 1);
                if (arg.ShortBlames is null)
                    call.Invoke(Provider, args); // a shorter tensor is still a valid call here (it only fixes how much is used)
                else
                    Throws<TensorShapeException>(call, $"{arg.Name} one element short", () => call.Invoke(Provider, args), arg.ShortBlames);
            }
        }
        finally { DisposeAll(owned); }
    }

    public static TheoryData<string> OperationsWithForbiddenAliases() =>
        new(OpCatalog.All.Where(c => c.ForbiddenAliases.Length > 0).Select(c => c.Operation));

    [ProviderTheory]
    [MemberData(nameof(OperationsWithForbiddenAliases))]
    public void Overlapping_tensors_are_rejected_where_the_contract_needs_them_distinct(string operation)
    {
        var call = OpCatalog.Get(operation);
        var owned = new List<Tensor>();
        try
        {
            foreach (var alias in call.ForbiddenAliases)
            {
                var args = Arguments(Provider, call, owned);
                int i = call.IndexOf(alias.Arg), of = call.IndexOf(alias.Of);
                args[i] = args[of].View(call.Args[i].Shape); // same memory, the shape the argument needs
                Throws<TensorOverlapException>(call, $"{alias.Arg} sharing memory with {alias.Of}", () => call.Invoke(Provider, args), alias.Blames);
            }
        }
        finally { DisposeAll(owned); }
    }
}
