using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// The provider's one program (every .cl file, built once per context) and a kernel object
/// for each entry point. Kernel names match the <c>__kernel</c> functions in native/opencl.
/// </summary>
internal sealed class KernelSet : IDisposable
{
    /// <summary>batched_transpose's 16×16 tile.</summary>
    private const int TransposeGroup = 16 * 16;

    private readonly ClProgramHandle _program;
    private readonly List<ClKernelHandle> _all = [];

    public KernelSet(ClRuntime runtime, ClTuning tuning)
    {
        _program = runtime.BuildProgram(KernelSources.All, tuning.BuildOptions);
        try
        {
            // Fail at build, with the fix, rather than at some later launch: registers and local
            // memory can hold a kernel below the device's work-group limit.
            int gemmGroup = tuning.Gemm.LocalX * tuning.Gemm.LocalY;
            int otherGroups = Math.Max(Math.Max(tuning.ElementwiseLocal, tuning.ReduceLocal), TransposeGroup);
            ClKernelHandle K(string name)
            {
                var k = runtime.CreateKernel(_program, name);
                _all.Add(k);
                int limit = runtime.MaxWorkGroupSize(k);
                int needed = name == "gemm" ? gemmGroup : otherGroups;
                if (limit < needed)
                    throw new NotSupportedException(name == "gemm"
                        ? $"The gemm kernel runs work-groups of at most {limit} on {runtime.Device.Name}, but GEMM tiles {tuning.Gemm} need {needed}. Set smaller Compute:OpenCl:GemmTiles (e.g. \"TM=32,TN=32,WM=4,WN=4\")."
                        : $"Kernel '{name}' runs work-groups of at most {limit} on {runtime.Device.Name}; the provider launches groups of up to {needed}, so this device cannot run it.");
                return k;
            }
            Gemm = K("gemm");
            GemmPackB = K("gemm_pack_b");
            GemmReduceSlices = K("gemm_reduce_slices");
            BatchedTranspose = K("batched_transpose");
            BatchedTransposeDirect = K("batched_transpose_direct");
            Add = K("add");
            Multiply = K("multiply");
            Scale = K("scale");
            Axpy = K("axpy");
            ReluForward = K("relu_forward");
            ReluBackward = K("relu_backward");
            SigmoidForward = K("sigmoid_forward");
            SigmoidBackward = K("sigmoid_backward");
            AddRowBias = K("add_row_bias");
            SumRows = K("sum_rows");
            AddChannelBias = K("add_channel_bias");
            SumChannels = K("sum_channels");
            Im2Col = K("im2col");
            Col2Im = K("col2im");
            ConvForwardDirect = K("conv_forward_direct");
            ConvWeightGradientDirect = K("conv_weight_gradient_direct");
            ConvInputGradientDirect = K("conv_input_gradient_direct");
            MaxPoolForward = K("maxpool_forward");
            MaxPoolForward2 = K("maxpool_forward_2");
            MaxPoolForward3 = K("maxpool_forward_3");
            MaxPoolBackward = K("maxpool_backward");
            MaxPoolBackwardDisjoint = K("maxpool_backward_disjoint");
            AvgPoolForward = K("avgpool_forward");
            AvgPoolForward2 = K("avgpool_forward_2");
            AvgPoolForward3 = K("avgpool_forward_3");
            AvgPoolBackward = K("avgpool_backward");
            AvgPoolBackwardDisjoint = K("avgpool_backward_disjoint");
            Softmax = K("softmax");
            SoftmaxXentForward = K("softmax_xent_forward");
            SoftmaxXentBackward = K("softmax_xent_backward");
            CountCorrect = K("count_correct");
            BatchNormForwardTraining = K("batchnorm_forward_training");
            BatchNormForwardInference = K("batchnorm_forward_inference");
            BatchNormBackward = K("batchnorm_backward");
            DropoutForward = K("dropout_forward");
            SgdStep = K("sgd_step");
            MomentumStep = K("momentum_step");
            NesterovStep = K("nesterov_step");
            AdaGradStep = K("adagrad_step");
            RmsPropStep = K("rmsprop_step");
            AdamStep = K("adam_step");
            TanhForward = K("tanh_forward");
            TanhBackward = K("tanh_backward");
            LeakyReluForward = K("leaky_relu_forward");
            LeakyReluBackward = K("leaky_relu_backward");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ClKernelHandle Gemm { get; } = null!;
    public ClKernelHandle GemmPackB { get; } = null!;
    public ClKernelHandle GemmReduceSlices { get; } = null!;
    public ClKernelHandle BatchedTranspose { get; } = null!;
    public ClKernelHandle BatchedTransposeDirect { get; } = null!;
    public ClKernelHandle Add { get; } = null!;
    public ClKernelHandle Multiply { get; } = null!;
    public ClKernelHandle Scale { get; } = null!;
    public ClKernelHandle Axpy { get; } = null!;
    public ClKernelHandle ReluForward { get; } = null!;
    public ClKernelHandle ReluBackward { get; } = null!;
    public ClKernelHandle SigmoidForward { get; } = null!;
    public ClKernelHandle SigmoidBackward { get; } = null!;
    public ClKernelHandle AddRowBias { get; } = null!;
    public ClKernelHandle SumRows { get; } = null!;
    public ClKernelHandle AddChannelBias { get; } = null!;
    public ClKernelHandle SumChannels { get; } = null!;
    public ClKernelHandle Im2Col { get; } = null!;
    public ClKernelHandle Col2Im { get; } = null!;
    public ClKernelHandle ConvForwardDirect { get; } = null!;
    public ClKernelHandle ConvWeightGradientDirect { get; } = null!;
    public ClKernelHandle ConvInputGradientDirect { get; } = null!;
    public ClKernelHandle MaxPoolForward { get; } = null!;
    public ClKernelHandle MaxPoolForward2 { get; } = null!;
    public ClKernelHandle MaxPoolForward3 { get; } = null!;
    public ClKernelHandle MaxPoolBackward { get; } = null!;
    public ClKernelHandle MaxPoolBackwardDisjoint { get; } = null!;
    public ClKernelHandle AvgPoolForward { get; } = null!;
    public ClKernelHandle AvgPoolForward2 { get; } = null!;
    public ClKernelHandle AvgPoolForward3 { get; } = null!;
    public ClKernelHandle AvgPoolBackward { get; } = null!;
    public ClKernelHandle AvgPoolBackwardDisjoint { get; } = null!;
    public ClKernelHandle Softmax { get; } = null!;
    public ClKernelHandle SoftmaxXentForward { get; } = null!;
    public ClKernelHandle SoftmaxXentBackward { get; } = null!;
    public ClKernelHandle CountCorrect { get; } = null!;
    public ClKernelHandle BatchNormForwardTraining { get; } = null!;
    public ClKernelHandle BatchNormForwardInference { get; } = null!;
    public ClKernelHandle BatchNormBackward { get; } = null!;
    public ClKernelHandle DropoutForward { get; } = null!;
    public ClKernelHandle SgdStep { get; } = null!;
    public ClKernelHandle MomentumStep { get; } = null!;
    public ClKernelHandle NesterovStep { get; } = null!;
    public ClKernelHandle AdaGradStep { get; } = null!;
    public ClKernelHandle RmsPropStep { get; } = null!;
    public ClKernelHandle AdamStep { get; } = null!;
    public ClKernelHandle TanhForward { get; } = null!;
    public ClKernelHandle TanhBackward { get; } = null!;
    public ClKernelHandle LeakyReluForward { get; } = null!;
    public ClKernelHandle LeakyReluBackward { get; } = null!;

    public void Dispose()
    {
        foreach (var k in _all) k.Dispose();
        _all.Clear();
        _program.Dispose();
    }
}
