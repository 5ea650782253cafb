using System.Text;
using CnnNative.Providers.OpenCl.Interop;
using Silk.NET.OpenCL;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// One device's context and its in-order command queue, with the buffer and program calls
/// the provider makes. Every status is checked; a failed build carries the build log.
/// Not thread-safe, like the provider: commands are issued from one thread at a time.
/// </summary>
internal sealed class ClRuntime : IDisposable
{
    private readonly nint _context, _queue;

    private ClRuntime(ClDevice device, ClContextHandle context, ClCommandQueueHandle queue)
    {
        Device = device;
        Context = context;
        Queue = queue;
        Api = OpenClLibrary.Api;
        // The raw handles for the per-command calls; Context and Queue own them until Dispose.
        _context = context.DangerousGetHandle();
        _queue = queue.DangerousGetHandle();
    }

    /// <summary>The process's Silk.NET API object (see <see cref="OpenClLibrary"/>).</summary>
    public CL Api { get; }

    /// <summary>The queue's raw handle for calls on the hot path (valid until <see cref="Dispose"/>).</summary>
    public nint QueueId => _queue;

    public ClDevice Device { get; }

    public ClContextHandle Context { get; }

    public ClCommandQueueHandle Queue { get; }

    /// <summary>
    /// Wait for the device after this many queued commands (0: never). pocl slows down
    /// several-fold per command once dozens are queued (its scheduler revisits the whole
    /// queue), while a CPU device gains nothing from running ahead of the host; a GPU
    /// keeps the queue unbounded so the host can run ahead of it.
    /// </summary>
    public int QueueDepthLimit { get; set; }

    private int _pending;

    /// <summary>Counts a command just enqueued, waiting for the device when <see cref="QueueDepthLimit"/> is reached.</summary>
    public void Enqueued()
    {
        if (QueueDepthLimit > 0 && ++_pending >= QueueDepthLimit) Finish();
    }

    public static unsafe ClRuntime Create(ClDevice device)
    {
        var cl = OpenClLibrary.Api;
        nint id = device.Id;
        int status;
        // CL_CONTEXT_PLATFORM names the platform explicitly: with several ICDs installed a
        // null property list would leave the choice to the loader.
        nint* properties = stackalloc nint[] { (nint)ContextProperties.Platform, device.Platform, 0 };
        nint context = cl.CreateContext(properties, 1, &id, null, null, &status);
        ClStatus.Check(status, "clCreateContext");
        var contextHandle = new ClContextHandle(context);
        nint queue = cl.CreateCommandQueue(context, id, CommandQueueProperties.None, &status);
        if (status != ClStatus.Success)
        {
            contextHandle.Dispose();
            throw new OpenClException(status, "clCreateCommandQueue");
        }
        return new ClRuntime(device, contextHandle, new ClCommandQueueHandle(queue));
    }

    public unsafe ClMemHandle CreateBuffer(long bytes)
    {
        int status;
        nint mem = Api.CreateBuffer(_context, MemFlags.ReadWrite, (nuint)bytes, null, &status);
        ClStatus.Check(status, "clCreateBuffer");
        return new ClMemHandle(mem);
    }

    /// <summary>Blocking: returns once the device owns a copy, so the span may be reused at once.</summary>
    public unsafe void Write(ClMemHandle mem, ReadOnlySpan<float> src)
    {
        fixed (float* p = src)
            ClStatus.Check(Api.EnqueueWriteBuffer(_queue, mem.DangerousGetHandle(), true, 0, (nuint)src.Length * sizeof(float), p, 0, null, null),
                "clEnqueueWriteBuffer");
        _pending = 0;   // a blocking command returns after everything before it
    }

    /// <summary>Blocking: waits for every queued command that writes the buffer, then copies.</summary>
    public unsafe void Read(ClMemHandle mem, Span<float> dst)
    {
        fixed (float* p = dst)
            ClStatus.Check(Api.EnqueueReadBuffer(_queue, mem.DangerousGetHandle(), true, 0, (nuint)dst.Length * sizeof(float), p, 0, null, null),
                "clEnqueueReadBuffer");
        _pending = 0;
    }

    /// <summary>Non-blocking: queues a copy of <paramref name="bytes"/> into <paramref name="dst"/>, which must stay valid until the queue has been waited for.</summary>
    public unsafe void ReadAsync(ClMemHandle mem, void* dst, int bytes)
    {
        ClStatus.Check(Api.EnqueueReadBuffer(_queue, mem.DangerousGetHandle(), false, 0, (nuint)bytes, dst, 0, null, null),
            "clEnqueueReadBuffer");
        Enqueued();
    }

    public unsafe void Copy(ClMemHandle src, ClMemHandle dst, int floats)
    {
        ClStatus.Check(Api.EnqueueCopyBuffer(_queue, src.DangerousGetHandle(), dst.DangerousGetHandle(), 0, 0, (nuint)floats * sizeof(float), 0, null, null),
            "clEnqueueCopyBuffer");
        Enqueued();
    }

    public unsafe void Fill(ClMemHandle mem, float value, int floats)
    {
        ClStatus.Check(Api.EnqueueFillBuffer(_queue, mem.DangerousGetHandle(), &value, sizeof(float), 0, (nuint)floats * sizeof(float), 0, null, null),
            "clEnqueueFillBuffer");
        Enqueued();
    }

    public void Finish()
    {
        ClStatus.Check(Api.Finish(_queue), "clFinish");
        _pending = 0;
    }

    /// <summary>Compiles <paramref name="source"/> for this device; a failure carries the compiler's log.</summary>
    public unsafe ClProgramHandle BuildProgram(string source, string options)
    {
        byte[] text = Encoding.UTF8.GetBytes(source);
        nint program;
        int status;
        fixed (byte* p = text)
        {
            byte* strings = p;
            nuint length = (nuint)text.Length;
            program = Api.CreateProgramWithSource(_context, 1, &strings, &length, &status);
        }
        ClStatus.Check(status, "clCreateProgramWithSource");
        var handle = new ClProgramHandle(program);

        byte[] opts = Encoding.UTF8.GetBytes(options + "\0");
        nint device = Device.Id;
        fixed (byte* o = opts)
            status = Api.BuildProgram(program, 1, &device, o, null, null);
        if (status != ClStatus.Success)
        {
            string log = BuildLog(program);
            handle.Dispose();
            throw new OpenClException(status, "clBuildProgram", log);
        }
        return handle;
    }

    public unsafe ClKernelHandle CreateKernel(ClProgramHandle program, string name)
    {
        int status;
        nint kernel = Api.CreateKernel(program.DangerousGetHandle(), name, &status);
        if (status != ClStatus.Success) throw new OpenClException(status, $"clCreateKernel(\"{name}\")");
        return new ClKernelHandle(kernel);
    }

    /// <summary>The largest work-group this kernel can run with on this device (registers and local memory can make it smaller than the device's).</summary>
    public unsafe int MaxWorkGroupSize(ClKernelHandle kernel)
    {
        nuint size = 0;
        ClStatus.Check(Api.GetKernelWorkGroupInfo(kernel.DangerousGetHandle(), Device.Id, KernelWorkGroupInfo.WorkGroupSize, (nuint)sizeof(nuint), &size, null),
            "clGetKernelWorkGroupInfo");
        return (int)Math.Min(size, int.MaxValue);
    }

    private unsafe string BuildLog(nint program)
    {
        nuint size;
        if (Api.GetProgramBuildInfo(program, Device.Id, ProgramBuildInfo.BuildLog, 0, null, &size) != ClStatus.Success || size == 0)
            return "(the driver returned no build log)";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            if (Api.GetProgramBuildInfo(program, Device.Id, ProgramBuildInfo.BuildLog, size, p, null) != ClStatus.Success)
                return "(the driver returned no build log)";
        string log = ClInfo.Decode(bytes);
        return log.Length == 0 ? "(empty build log)" : log;
    }

    /// <summary>Waits for queued work (ignoring a failure: disposal must not throw), then releases queue and context.</summary>
    public void Dispose()
    {
        if (!Queue.IsClosed) _ = Api.Finish(_queue);
        Queue.Dispose();
        Context.Dispose();
    }
}
