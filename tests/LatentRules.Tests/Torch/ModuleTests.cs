using LatentRules.Torch;
using LatentRules.Torch.NN;
using LatentRules.Torch.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Tests.Torch;

/// <summary>The lab's modules on TorchSharp's Module: names, state, modes, initialisation, the checkpoint
/// check.</summary>
[Collection("torch")]
public sealed class ModuleTests
{
    private sealed class Attention : nn.Module<Tensor, Tensor>
    {
        public LoraLinear q_proj = new(4, 4);
        public LoraLinear o_proj = new(4, 4, hasBias: false);
        public Attention() : base(nameof(Attention)) => RegisterComponents();
        public override Tensor forward(Tensor x) => o_proj.forward(q_proj.forward(x));
    }

    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        public Attention attn = new();
        public RMSNorm norm = new(4);
        public Block() : base(nameof(Block)) => RegisterComponents();
        public override Tensor forward(Tensor x) => attn.forward(norm.forward(x));
    }

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public Embedding embed_tokens = nn.Embedding(10, 4);
        public ModuleList<Block> layers = nn.ModuleList(new Block(), new Block());
        public Parameter scale = new(ones(1));
        public Net() : base(nameof(Net))
        {
            register_buffer("positions", arange(5), persistent: false);
            RegisterComponents();
        }
        public override Tensor forward(Tensor ids)
        {
            using var scope = NewDisposeScope();
            var x = embed_tokens.forward(ids);
            foreach (var layer in layers) x = layer.forward(x);
            return (x * scale).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void ParameterNamesFollowFieldsAndListIndices()
    {
        using var net = new Net();
        var names = net.named_parameters().Select(p => p.name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(new[]
        {
            "embed_tokens.weight",
            "layers.0.attn.o_proj.weight", "layers.0.attn.q_proj.bias", "layers.0.attn.q_proj.weight",
            "layers.0.norm.weight",
            "layers.1.attn.o_proj.weight", "layers.1.attn.q_proj.bias", "layers.1.attn.q_proj.weight",
            "layers.1.norm.weight",
            "scale",
        }, names);
        Assert.Equal(1 + 40 + 2 * (16 + 4 + 16 + 4), net.num_parameters());
        Assert.DoesNotContain("positions", net.state_dict().Keys);
        Assert.Contains("params 121", net.Tree());
    }

    [Fact]
    public void StateDictRoundTripsIntoAFreshModel()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var a = new Net();
        manual_seed(2);
        using var b = new Net();
        var ids = tensor(new long[] { 1, 2, 3 });
        Assert.False(allclose(a.forward(ids), b.forward(ids)));
        b.load_state_dict(a.state_dict());
        Assert.Equal(a.forward(ids).ToArray<float>(), b.forward(ids).ToArray<float>());
    }

    [Fact]
    public void TheCheckpointCheckListsMissingUnexpectedMisShapedAndMisTypedTensorsByName()
    {
        using var scope = NewDisposeScope();
        using var net = new Net();
        string path = Path.Combine(Path.GetTempPath(), $"lr-mismatch-{Guid.NewGuid():N}.safetensors");
        try
        {
            var state = net.state_dict();
            state.Remove("layers.1.norm.weight");
            state["layers.9.extra"] = ones(1);
            state["scale"] = ones(3);
            state["embed_tokens.weight"] = zeros(new long[] { 10, 4 }, ScalarType.Int64);
            Safetensors.Save(path, state);
            var e = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("missing (1): layers.1.norm.weight", e.Message);
            Assert.Contains("unexpected (1): layers.9.extra", e.Message);
            Assert.Contains("scale: file [3] vs model [1]", e.Message);
            Assert.Contains("embed_tokens.weight: file Int64 vs model Float32", e.Message);

            state["scale"] = ones(1);
            state["embed_tokens.weight"] = full(new long[] { 10, 4 }, 7f);
            Safetensors.Save(path, state);
            var (missing, unexpected) = net.LoadSafetensors(path, strict: false);
            Assert.Equal(new[] { "layers.1.norm.weight" }, missing);
            Assert.Equal(new[] { "layers.9.extra" }, unexpected);
            Assert.All(net.embed_tokens.weight!.ToArray<float>(), v => Assert.Equal(7f, v));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ToDtypeConvertsEveryParameterAndKeepsThemTrainableLeaves()
    {
        using var net = new Net();
        net.to(ScalarType.Float64);
        Assert.All(net.parameters(),
            p => { Assert.Equal(ScalarType.Float64, p.dtype); Assert.True(p.requires_grad); Assert.True(p.is_leaf); });
        // fields follow the conversion
        Assert.Same(net.scale, net.named_parameters().Single(p => p.name == "scale").parameter);
    }

    [Fact]
    public void TrainEvalSwitchesDropout()
    {
        using var scope = NewDisposeScope();
        var seq = nn.Sequential(new LoraLinear(3, 3), nn.Dropout(0.9), nn.ReLU());
        Assert.True(seq.training);
        seq.eval();
        Assert.All(seq.modules(), m => Assert.False(m.training));
        var x = ones(1, 3);
        Assert.Equal(seq.forward(x).ToArray<float>(), seq.forward(x).ToArray<float>());
        Assert.Equal(new[] { "0.weight", "0.bias" }, seq.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void LoraAdapterRegistersItsNamesAndMergesAway()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var lin = new LoraLinear(3, 2);
        var x = randn(5, 3);
        var before = lin.forward(x).ToArray<float>();
        lin.add_lora(2, alpha: 4);
        Assert.Equal(new[] { "weight", "bias", "lora_A.weight", "lora_B.weight" },
            lin.named_parameters().Select(p => p.name));
        Assert.Equal(before, lin.forward(x).ToArray<float>());                 // B starts at zero
        using (no_grad()) lin.lora_B!.weight.fill_(0.5);
        var adapted = lin.forward(x).ToArray<float>();
        Assert.NotEqual(before, adapted);
        lin.merge_lora();
        Assert.Equal(new[] { "weight", "bias" }, lin.named_parameters().Select(p => p.name));
        var merged = lin.forward(x).ToArray<float>();
        for (int k = 0; k < merged.Length; k++) Assert.Equal(adapted[k], merged[k], 5);
    }

    [Fact]
    public void SkipInitSkipsRandomInitialisationOnlyInsideTheScope()
    {
        manual_seed(3);
        using var a = new LoraLinear(4, 4);
        manual_seed(3);
        using (SkipInit.Scope())
        {
            Assert.True(SkipInit.Active);
            using var b = new LoraLinear(4, 4);                 // draws nothing from the generator
        }
        Assert.False(SkipInit.Active);
        using var c = new LoraLinear(4, 4);                     // so this one draws what `a` drew after the same seed
        Assert.Equal(a.weight.ToArray<float>(), c.weight.ToArray<float>());
        Assert.Equal(a.bias!.ToArray<float>(), c.bias!.ToArray<float>());
    }

    [Fact]
    public void LoraLinearDrawsTheInitialWeightsOfTorchSharpsLinear()
    {
        manual_seed(5);
        using var reference = nn.Linear(100, 50);
        manual_seed(5);
        using var lin = new LoraLinear(100, 50);
        Assert.Equal(reference.weight.ToArray<float>(), lin.weight.ToArray<float>());
        Assert.Equal(reference.bias!.ToArray<float>(), lin.bias!.ToArray<float>());
        // kaiming_uniform(a=sqrt 5) on fan_in 100 gives 1/sqrt(fan_in)
        double bound = 1 / Math.Sqrt(100);
        var w = lin.weight.ToArray<float>();
        Assert.True(w.Max() <= bound && w.Min() >= -bound);
        Assert.True(w.Max() > 0.9 * bound && w.Min() < -0.9 * bound);
    }
}
