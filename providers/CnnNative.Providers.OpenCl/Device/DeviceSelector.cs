using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Picks the device named by <see cref="OpenClOptions"/>: the platforms it allows, then the
/// devices of the requested type on them, then the index. With <c>DeviceType = any</c> the
/// GPUs come first, so a machine with a GPU uses it without configuration. Every way of
/// finding nothing ends in <see cref="ProviderUnavailableException"/> with what to install.
/// </summary>
internal static class DeviceSelector
{
    public const string InstallHint =
        "Install the OpenCL ICD loader (Debian: apt-get install ocl-icd-libopencl1) and a driver for your device " +
        "(a GPU vendor's OpenCL driver, or pocl-opencl-icd to run OpenCL on the CPU).";

    public static ClDevice Select(OpenClOptions options)
    {
        var platforms = Platforms();
        var allowed = AllowedPlatforms(platforms, options.Platform);
        var candidates = new List<ClDevice>();
        if (options.DeviceType is "gpu" or "any") AddDevices(allowed, ClConstants.DeviceTypeGpu, candidates);
        if (options.DeviceType is "cpu") AddDevices(allowed, ClConstants.DeviceTypeCpu, candidates);
        if (options.DeviceType is "any")
        {
            var rest = new List<ClDevice>();
            AddDevices(allowed, ClConstants.DeviceTypeAll, rest);
            foreach (var d in rest)
                if (!d.IsGpu) candidates.Add(d);
        }

        if (candidates.Count == 0)
            throw Unavailable($"no OpenCL device of type '{options.DeviceType}' on {Describe(allowed)}.",
                options.DeviceType == "any" ? InstallHint : "Set Compute:OpenCl:DeviceType to any, or " + InstallHint);
        if (options.DeviceIndex >= candidates.Count)
            throw Unavailable(
                $"Compute:OpenCl:DeviceIndex is {options.DeviceIndex} but only {candidates.Count} device(s) match: {string.Join(", ", candidates)}.",
                "Choose an index below the device count.");
        return candidates[options.DeviceIndex];
    }

    /// <summary>Every platform's id and name. A missing loader or no driver means unavailable.</summary>
    private static unsafe List<(nint Id, int Index, string Name)> Platforms()
    {
        int status;
        uint count;
        try
        {
            status = Cl.clGetPlatformIDs(0, null, out count);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw Unavailable($"the OpenCL library could not be loaded (tried {OpenClLibrary.DescribeAttempts()}).", InstallHint, e);
        }
        if (status == ClStatus.PlatformNotFoundKhr || (status == ClStatus.Success && count == 0))
            throw Unavailable(
                $"the OpenCL loader ({OpenClLibrary.LoadedFrom}) found no platform (CL_PLATFORM_NOT_FOUND_KHR): no OpenCL driver is registered in /etc/OpenCL/vendors.",
                InstallHint);
        ClStatus.Check(status, nameof(Cl.clGetPlatformIDs));

        var ids = new nint[count];
        fixed (nint* p = ids)
            ClStatus.Check(Cl.clGetPlatformIDs(count, p, out _), nameof(Cl.clGetPlatformIDs));
        var result = new List<(nint, int, string)>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
            result.Add((ids[i], i, ClInfo.PlatformString(ids[i], ClConstants.PlatformName)));
        return result;
    }

    private static List<(nint Id, int Index, string Name)> AllowedPlatforms(List<(nint Id, int Index, string Name)> platforms, string? wanted)
    {
        if (wanted is null) return platforms;
        var allowed = new List<(nint, int, string)>();
        if (int.TryParse(wanted, out int index))
        {
            if (index >= 0 && index < platforms.Count) allowed.Add(platforms[index]);
        }
        else
        {
            foreach (var p in platforms)
                if (p.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase)) allowed.Add(p);
        }
        if (allowed.Count == 0)
            throw Unavailable($"Compute:OpenCl:Platform '{wanted}' matches none of the platforms: {Describe(platforms)}.",
                "Name one of them (or its index), or remove the setting.");
        return allowed;
    }

    private static unsafe void AddDevices(List<(nint Id, int Index, string Name)> platforms, ulong type, List<ClDevice> into)
    {
        foreach (var (platform, index, _) in platforms)
        {
            int status = Cl.clGetDeviceIDs(platform, type, 0, null, out uint count);
            if (status == ClStatus.DeviceNotFound || count == 0) continue;
            ClStatus.Check(status, nameof(Cl.clGetDeviceIDs));
            var ids = new nint[count];
            fixed (nint* p = ids)
                ClStatus.Check(Cl.clGetDeviceIDs(platform, type, count, p, out _), nameof(Cl.clGetDeviceIDs));
            foreach (nint id in ids)
            {
                if (ClInfo.DeviceValue<uint>(id, ClConstants.DeviceAvailable) == ClConstants.False) continue;
                into.Add(ClDevice.Query(platform, index, id));
            }
        }
    }

    private static string Describe(List<(nint Id, int Index, string Name)> platforms)
    {
        var names = new List<string>(platforms.Count);
        foreach (var p in platforms) names.Add($"[{p.Index}] {p.Name}");
        return string.Join(", ", names);
    }

    private static ProviderUnavailableException Unavailable(string reason, string fix, Exception? inner = null) =>
        new(OpenClProviderFactory.ProviderName, reason, fix, inner);
}
