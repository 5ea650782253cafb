namespace CnnNative.Providers.Managed.Threading;

/// <summary>
/// One parallel operation, cut into <c>parts</c> independent pieces. Implementations are
/// reusable objects (one per kernel family, created with the provider) whose fields are set
/// before each run, so dispatching work allocates nothing: no closures, no delegates.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Runs piece <paramref name="part"/> of <paramref name="parts"/>; called once per piece, on any thread.</summary>
    void Execute(int part, int parts);
}
