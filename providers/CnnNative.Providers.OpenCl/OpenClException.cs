using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// An OpenCL call returned an error. <see cref="Status"/> is the native <c>cl_int</c>,
/// <see cref="StatusName"/> its specification name (<c>CL_OUT_OF_RESOURCES</c>) and
/// <see cref="Call"/> the function that returned it; a failed program build also carries
/// the compiler's <see cref="BuildLog"/>.
/// </summary>
public sealed class OpenClException : Exception
{
    internal OpenClException(int status, string call, string? buildLog = null)
        : base(Describe(status, call, buildLog))
    {
        Status = status;
        Call = call;
        BuildLog = buildLog;
    }

    /// <summary>The native <c>cl_int</c> status the call returned (negative, e.g. −5 for CL_OUT_OF_RESOURCES).</summary>
    public int Status { get; }

    /// <summary>The status's name in the OpenCL specification, e.g. "CL_OUT_OF_RESOURCES".</summary>
    public string StatusName => ClStatus.Name(Status);

    /// <summary>The OpenCL function that failed, e.g. <c>clBuildProgram</c>.</summary>
    public string Call { get; }

    /// <summary>The device compiler's log when a program build failed; otherwise null.</summary>
    public string? BuildLog { get; }

    private static string Describe(int status, string call, string? buildLog) =>
        buildLog is null
            ? $"{call} failed with {ClStatus.Name(status)} ({status})."
            : $"{call} failed with {ClStatus.Name(status)} ({status}). Build log:{Environment.NewLine}{buildLog.TrimEnd()}";
}
