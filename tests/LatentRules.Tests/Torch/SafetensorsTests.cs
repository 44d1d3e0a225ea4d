using System.Text;
using LatentRules.Tests.Support;
using LatentRules.Torch;
using LatentRules.Torch.Serialization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LatentRules.Tests.Torch;

[Collection("torch")]
public sealed class SafetensorsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-safetensors-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);
    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void EveryDtypeAndMetadataRoundTrip()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = tensor(new float[] { 1.5f, -2, 3 }),
            ["f64"] = tensor(new double[] { Math.PI, Math.E }, new long[] { 2, 1 }),
            ["bf16"] = tensor(new float[] { 1, 2.5f, -8 }).bfloat16(),
            ["f16"] = tensor(new float[] { 0.5f, 65504 }).half(),
            ["i64"] = tensor(new long[] { long.MinValue, 7 }),
            ["i32"] = tensor(new[] { int.MaxValue, -3, 0, 1 }, new long[] { 2, 2 }),
            ["u8"] = tensor(new byte[] { 0, 255 }),
            ["bool"] = tensor(new[] { true, false, true }),
            ["empty"] = zeros(new long[] { 0, 3 }),
            ["scalar"] = tensor(4.0f),
        };
        string path = PathOf("all.safetensors");
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "héllo" });
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("héllo", file.Metadata["note"]);
        Assert.Equal(tensors.Keys.OrderBy(k => k, StringComparer.Ordinal), file.Names);
        foreach (var (name, t) in tensors)
        {
            var back = file.Read(name);
            Assert.Equal(t.dtype, back.dtype);
            Assert.Equal(t.shape, back.shape);
            Assert.Equal(t.to(ScalarType.Float64).ToArray<double>(), back.to(ScalarType.Float64).ToArray<double>());
        }
        // Header is padded so the data section starts 8-byte aligned.
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0UL, BitConverter.ToUInt64(bytes, 0) % 8);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ReadsAFileWrittenIndependentlyByPython()
    {
        string path = PathOf("py.safetensors");
        PythonReference.Run("""
            import json, struct, torch
            ts = {"b.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
                  "a.bias": torch.tensor([1.0, -1.0], dtype=torch.bfloat16),
                  "idx": torch.tensor([3, 1], dtype=torch.int64)}
            header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
            for name in sorted(ts, key=lambda n: -ts[n].element_size()):
                t = ts[name].contiguous()
                raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
                dt = {torch.float32: "F32", torch.bfloat16: "BF16", torch.int64: "I64"}[t.dtype]
                header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
                blobs.append(raw); off += len(raw)
            h = json.dumps(header).encode()
            with open(PATH, "wb") as f:
                f.write(struct.pack("<Q", len(h))); f.write(h); f.write(b"".join(blobs))
            """.Replace("PATH", "'" + path + "'"));
        using var scope = NewDisposeScope();
        var all = Safetensors.Load(path);
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f, 1, 1.25f }, all["b.weight"].ToArray<float>());
        Assert.Equal(new float[] { 1, -1 }, all["a.bias"].ToArray<float>());
        Assert.Equal(ScalarType.BFloat16, all["a.bias"].dtype);
        Assert.Equal(new long[] { 3, 1 }, all["idx"].ToArray<long>());
    }

    [Fact]
    public void ModuleSavesAndLoadsWithConfig()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var a = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2));
        manual_seed(2);
        var b = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2));
        a.SaveWithConfig(_dir, new { layers = 2, hidden = 4 });
        b.LoadSafetensors(Path.Combine(_dir, "model.safetensors"));
        var x = randn(5, 3);
        Assert.Equal(a.forward(x).ToArray<float>(), b.forward(x).ToArray<float>());
        Assert.Contains("\"hidden\": 4", File.ReadAllText(Path.Combine(_dir, "config.json")));
        // A model of another shape is refused with the names at fault.
        var c = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2));
        var e = Assert.Throws<InvalidDataException>(() => c.LoadSafetensors(Path.Combine(_dir, "model.safetensors")));
        Assert.Contains("0.weight: file [4, 3] vs model [5, 3]", e.Message);
        a.Dispose(); b.Dispose(); c.Dispose();
    }

    [Fact]
    public void LoadingReadsStraightIntoParameterMemory()
    {
        // 64 MiB of float32 weights: the load must not hold a second copy (peak RSS rise well below the file size).
        const long rows = 4096, cols = 4096;
        using var scope = NewDisposeScope();
        var big = nn.Linear(cols, rows, hasBias: false);
        string path = PathOf("big.safetensors");
        big.SaveSafetensors(path);
        using (no_grad()) big.weight.zero_();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");              // reset the peak-RSS high-water mark
        long before = Status("VmRSS:");
        big.LoadSafetensors(path);
        long peakRise = Status("VmHWM:") - before;
        long fileKiB = new FileInfo(path).Length / 1024;
        output.WriteLine($"file {fileKiB / 1024} MiB, peak RSS rise while loading {peakRise / 1024.0:F1} MiB");
        Assert.True(peakRise < fileKiB / 4, $"peak RSS rose by {peakRise} KiB for a {fileKiB} KiB file");
        Assert.NotEqual(0f, big.weight.abs().sum().ToSingle());
        big.Dispose();
    }

    private static long Status(string key) =>
        long.Parse(File.ReadLines("/proc/self/status")
            .First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0]);

    // ---- malformed files ----------------------------------------------------------------------------

    private string Write(string name, string header, int dataBytes, ulong? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var path = PathOf(name);
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes(declaredLength ?? (ulong)h.Length));
        f.Write(h);
        f.Write(new byte[dataBytes]);
        return path;
    }

    private static string Fails(string path) =>
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path).Dispose()).Message;

    [Fact]
    public void MalformedFilesAreRejectedWithTheReason()
    {
        string ok = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        Assert.Equal(new[] { "a" }, SafetensorsFile.Open(Write("ok.st", ok, 8)).Names);

        var tiny = PathOf("tiny.st");
        File.WriteAllBytes(tiny, new byte[] { 1, 2, 3 });
        Assert.Contains("shorter than the 8-byte header length", Fails(tiny));
        Assert.Contains("runs past the end of the file", Fails(Write("past.st", ok, 8, declaredLength: 10_000)));
        Assert.Contains("not valid JSON", Fails(Write("json.st", "{\"a\": [", 0)));
        Assert.Contains("unknown dtype 'F8'", Fails(Write("dtype.st", ok.Replace("F32", "F8"), 8)));
        Assert.Contains("needs 8 bytes but data_offsets span 12",
            Fails(Write("mismatch.st", ok.Replace("[0,8]", "[0,12]"), 12)));
        Assert.Contains("run past the data section", Fails(Write("range.st", ok, 4)));
        string overlap = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":""" +
            """[1],"data_offsets":[4,8]}}""";
        Assert.Contains("overlaps tensor 'a'", Fails(Write("overlap.st", overlap, 8)));
        string gap = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""";
        Assert.Contains("gap of 4 bytes", Fails(Write("gap.st", gap, 8)));
        Assert.Contains("4 trailing bytes", Fails(Write("trailing.st", ok, 12)));
        Assert.Contains("no array field 'shape'",
            Fails(Write("noshape.st", """{"a":{"dtype":"F32","data_offsets":[0,0]}}""", 0)));
        Assert.Contains("invalid data_offsets", Fails(Write("reversed.st", ok.Replace("[0,8]", "[8,0]"), 8)));
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(PathOf("absent.st")));
        // Every message names the file.
        Assert.Contains("json.st", Fails(Write("json.st", "{", 0)));
    }

    [Fact]
    public void TruncatedFileFailsOnHeaderCheckNotOnRead()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("trunc.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = ones(1000) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Assert.Contains("run past the data section", Fails(path));
    }
}
