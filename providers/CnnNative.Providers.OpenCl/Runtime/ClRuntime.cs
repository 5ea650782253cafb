using System.Text;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// One device's context and its in-order command queue, with the buffer and program calls
/// the provider makes. Every status is checked; a failed build carries the build log.
/// Not thread-safe, like the provider: commands are issued from one thread at a time.
/// </summary>
internal sealed class ClRuntime : IDisposable
{
    private ClRuntime(ClDevice device, ClContextHandle context, ClCommandQueueHandle queue)
    {
        Device = device;
        Context = context;
        Queue = queue;
    }

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
        nint id = device.Id;
        // CL_CONTEXT_PLATFORM names the platform explicitly: with several ICDs installed a
        // null property list would leave the choice to the loader.
        nint* properties = stackalloc nint[] { 0x1084 /* CL_CONTEXT_PLATFORM */, device.Platform, 0 };
        var context = Cl.clCreateContext(properties, 1, &id, 0, 0, out int status);
        if (status != ClStatus.Success)
        {
            context.Dispose();
            throw new OpenClException(status, nameof(Cl.clCreateContext));
        }
        var queue = Cl.clCreateCommandQueue(context, id, 0, out status);
        if (status != ClStatus.Success)
        {
            queue.Dispose();
            context.Dispose();
            throw new OpenClException(status, nameof(Cl.clCreateCommandQueue));
        }
        return new ClRuntime(device, context, queue);
    }

    public ClMemHandle CreateBuffer(long bytes)
    {
        var mem = Cl.clCreateBuffer(Context, ClConstants.MemReadWrite, (nuint)bytes, 0, out int status);
        if (status != ClStatus.Success)
        {
            mem.Dispose();
            throw new OpenClException(status, nameof(Cl.clCreateBuffer));
        }
        return mem;
    }

    /// <summary>Blocking: returns once the device owns a copy, so the span may be reused at once.</summary>
    public unsafe void Write(ClMemHandle mem, ReadOnlySpan<float> src)
    {
        fixed (float* p = src)
            ClStatus.Check(Cl.clEnqueueWriteBuffer(Queue, mem, ClConstants.True, 0, (nuint)src.Length * sizeof(float), p, 0, null, null),
                nameof(Cl.clEnqueueWriteBuffer));
        _pending = 0;   // a blocking command returns after everything before it
    }

    /// <summary>Blocking: waits for every queued command that writes the buffer, then copies.</summary>
    public unsafe void Read(ClMemHandle mem, Span<float> dst)
    {
        fixed (float* p = dst)
            ClStatus.Check(Cl.clEnqueueReadBuffer(Queue, mem, ClConstants.True, 0, (nuint)dst.Length * sizeof(float), p, 0, null, null),
                nameof(Cl.clEnqueueReadBuffer));
        _pending = 0;
    }

    public unsafe void Copy(ClMemHandle src, ClMemHandle dst, int floats)
    {
        ClStatus.Check(Cl.clEnqueueCopyBuffer(Queue, src, dst, 0, 0, (nuint)floats * sizeof(float), 0, null, null),
            nameof(Cl.clEnqueueCopyBuffer));
        Enqueued();
    }

    public unsafe void Fill(ClMemHandle mem, float value, int floats)
    {
        ClStatus.Check(Cl.clEnqueueFillBuffer(Queue, mem, &value, sizeof(float), 0, (nuint)floats * sizeof(float), 0, null, null),
            nameof(Cl.clEnqueueFillBuffer));
        Enqueued();
    }

    public void Finish()
    {
        ClStatus.Check(Cl.clFinish(Queue), nameof(Cl.clFinish));
        _pending = 0;
    }

    /// <summary>Compiles <paramref name="source"/> for this device; a failure carries the compiler's log.</summary>
    public unsafe ClProgramHandle BuildProgram(string source, string options)
    {
        byte[] text = Encoding.UTF8.GetBytes(source);
        ClProgramHandle program;
        int status;
        fixed (byte* p = text)
        {
            byte* strings = p;
            nuint length = (nuint)text.Length;
            program = Cl.clCreateProgramWithSource(Context, 1, &strings, &length, out status);
        }
        if (status != ClStatus.Success)
        {
            program.Dispose();
            throw new OpenClException(status, nameof(Cl.clCreateProgramWithSource));
        }

        byte[] opts = Encoding.UTF8.GetBytes(options + "\0");
        nint device = Device.Id;
        fixed (byte* o = opts)
            status = Cl.clBuildProgram(program, 1, &device, o, 0, 0);
        if (status != ClStatus.Success)
        {
            string log = BuildLog(program);
            program.Dispose();
            throw new OpenClException(status, nameof(Cl.clBuildProgram), log);
        }
        return program;
    }

    public ClKernelHandle CreateKernel(ClProgramHandle program, string name)
    {
        var kernel = Cl.clCreateKernel(program, name, out int status);
        if (status != ClStatus.Success)
        {
            kernel.Dispose();
            throw new OpenClException(status, $"{nameof(Cl.clCreateKernel)}(\"{name}\")");
        }
        return kernel;
    }

    /// <summary>The largest work-group this kernel can run with on this device (registers and local memory can make it smaller than the device's).</summary>
    public unsafe int MaxWorkGroupSize(ClKernelHandle kernel)
    {
        nuint size = 0;
        ClStatus.Check(Cl.clGetKernelWorkGroupInfo(kernel, Device.Id, ClConstants.KernelWorkGroupSize, (nuint)sizeof(nuint), &size, out _),
            nameof(Cl.clGetKernelWorkGroupInfo));
        return (int)Math.Min(size, int.MaxValue);
    }

    private unsafe string BuildLog(ClProgramHandle program)
    {
        if (Cl.clGetProgramBuildInfo(program, Device.Id, ClConstants.ProgramBuildLog, 0, null, out nuint size) != ClStatus.Success || size == 0)
            return "(the driver returned no build log)";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            if (Cl.clGetProgramBuildInfo(program, Device.Id, ClConstants.ProgramBuildLog, size, p, out _) != ClStatus.Success)
                return "(the driver returned no build log)";
        string log = ClInfo.Decode(bytes);
        return log.Length == 0 ? "(empty build log)" : log;
    }

    /// <summary>Waits for queued work (ignoring a failure: disposal must not throw), then releases queue and context.</summary>
    public void Dispose()
    {
        if (!Queue.IsClosed) _ = Cl.clFinish(Queue);
        Queue.Dispose();
        Context.Dispose();
    }
}
