using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;
using Silk.NET.OpenCL;

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
        OpenClLibrary.Load(OpenClLibrary.SettingFrom(options.LibraryPath, Environment.GetEnvironmentVariable), AppContext.BaseDirectory);
        var platforms = Platforms();
        var allowed = AllowedPlatforms(platforms, options.Platform);
        var candidates = new List<ClDevice>();
        if (options.DeviceType is "gpu" or "any") AddDevices(allowed, DeviceType.Gpu, candidates);
        if (options.DeviceType is "cpu") AddDevices(allowed, DeviceType.Cpu, candidates);
        if (options.DeviceType is "any")
        {
            var rest = new List<ClDevice>();
            AddDevices(allowed, DeviceType.All, rest);
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
        var cl = OpenClLibrary.Api;
        int status;
        uint count;
        try
        {
            status = cl.GetPlatformIDs(0, null, &count);
        }
        catch (Exception e) when (e is FileNotFoundException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw Unavailable($"the OpenCL library could not be used ({e.Message}; tried {OpenClLibrary.DescribeAttempts()}).", InstallHint, e);
        }
        if (status == ClStatus.PlatformNotFoundKhr || (status == ClStatus.Success && count == 0))
            throw Unavailable(
                $"the OpenCL loader ({OpenClLibrary.Loaded?.File}) found no platform (CL_PLATFORM_NOT_FOUND_KHR): no OpenCL driver is registered in {VendorsFolder()}.",
                InstallHint);
        ClStatus.Check(status, "clGetPlatformIDs");

        var ids = new nint[count];
        fixed (nint* p = ids)
            ClStatus.Check(cl.GetPlatformIDs(count, p, null), "clGetPlatformIDs");
        var result = new List<(nint, int, string)>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
            result.Add((ids[i], i, ClInfo.PlatformString(ids[i], PlatformInfo.Name)));
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

    private static unsafe void AddDevices(List<(nint Id, int Index, string Name)> platforms, DeviceType type, List<ClDevice> into)
    {
        var cl = OpenClLibrary.Api;
        foreach (var (platform, index, _) in platforms)
        {
            uint count = 0;
            int status = cl.GetDeviceIDs(platform, type, 0, null, &count);
            if (status == ClStatus.DeviceNotFound || count == 0) continue;
            ClStatus.Check(status, "clGetDeviceIDs");
            var ids = new nint[count];
            fixed (nint* p = ids)
                ClStatus.Check(cl.GetDeviceIDs(platform, type, count, p, null), "clGetDeviceIDs");
            foreach (nint id in ids)
            {
                if (ClInfo.DeviceValue<uint>(id, DeviceInfo.Available) == 0) continue;
                into.Add(ClDevice.Query(platform, index, id));
            }
        }
    }

    /// <summary>Where the ICD loader looks for drivers: OCL_ICD_VENDORS when set (ocl-icd's override), else /etc/OpenCL/vendors.</summary>
    private static string VendorsFolder()
    {
        string? vendors = Environment.GetEnvironmentVariable("OCL_ICD_VENDORS");
        return string.IsNullOrWhiteSpace(vendors) ? "/etc/OpenCL/vendors" : $"OCL_ICD_VENDORS ({vendors})";
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
