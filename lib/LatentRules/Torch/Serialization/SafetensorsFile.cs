using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Serialization;

/// <summary>
/// A safetensors file opened for lazy reading: the header is parsed and validated up front, tensors are
/// read one at a time straight into tensor memory, so loading never holds two copies of a checkpoint.
/// Every malformed-file case (short file, header past the end, bad JSON, unknown dtype, shape/bytes
/// mismatch, overlapping, gapped or out-of-range offsets) is an InvalidDataException naming the file.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly SafeFileHandle _file;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsEntry> _entries;

    public string Path { get; }
    /// <summary>The "__metadata__" map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>Tensor names in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    public static SafetensorsFile Open(string path) => new(path);

    private SafetensorsFile(string path)
    {
        Path = path;
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long fileLength = RandomAccess.GetLength(_file);
            if (fileLength < 8) throw Bad($"file is {fileLength} bytes, shorter than the 8-byte header length");
            Span<byte> lengthBytes = stackalloc byte[8];
            RandomAccess.Read(_file, lengthBytes, 0);
            ulong headerLength = BitConverter.ToUInt64(lengthBytes);
            if (headerLength > (ulong)(fileLength - 8))
                throw Bad($"header length {headerLength} runs past the end of the file ({fileLength} bytes)");
            if ((long)headerLength > MaxHeaderBytes)
                throw Bad($"header length {headerLength} exceeds {MaxHeaderBytes} bytes");
            var header = new byte[headerLength];
            RandomAccess.Read(_file, header, 8);
            _dataStart = 8 + (long)headerLength;
            (_entries, Metadata, Names) = ParseHeader(header, fileLength - _dataStart);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    private InvalidDataException Bad(string what) => new($"{Path}: invalid safetensors file: {what}");

    private (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>, List<string>) ParseHeader(byte[] header,
        long dataLength)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Bad($"header is not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("header is not a JSON object");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Bad("__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! :
                            throw Bad($"__metadata__ value '{m.Name}' is not a string");
                    continue;
                }
                var entry = ParseEntry(prop.Name, prop.Value);
                if (!entries.TryAdd(prop.Name, entry)) throw Bad($"tensor '{prop.Name}' appears twice");
                names.Add(prop.Name);
            }
            CheckLayout(entries.Values, dataLength);
            return (entries, metadata, names);
        }
    }

    private SafetensorsEntry ParseEntry(string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Bad($"entry of tensor '{name}' is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw Bad($"tensor '{name}' has no string field 'dtype'");
        string dtype = dt.GetString()!;
        if (!SafetensorsDTypes.IsKnown(dtype)) throw Bad($"tensor '{name}' has unknown dtype '{dtype}'");
        long[] shape = LongArray(e, "shape", name);
        long[] offsets = LongArray(e, "data_offsets", name);
        if (offsets.Length != 2) throw Bad($"tensor '{name}': data_offsets must have 2 numbers, got {offsets.Length}");
        if (shape.Any(s => s < 0))
            throw Bad($"tensor '{name}' has a negative size in shape [{string.Join(", ", shape)}]");
        if (offsets[0] < 0 || offsets[1] < offsets[0])
            throw Bad($"tensor '{name}' has invalid data_offsets [{offsets[0]}, {offsets[1]}]");
        var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        long count = 1;
        foreach (long s in shape) count = checked(count * s);
        long expected = checked(count * entry.ScalarType.ElementSize());
        if (expected != entry.ByteLength)
            throw Bad($"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {expected} bytes but " +
                $"data_offsets span {entry.ByteLength}");
        return entry;
    }

    private long[] LongArray(JsonElement e, string field, string name)
    {
        if (!e.TryGetProperty(field, out var arr) || arr.ValueKind != JsonValueKind.Array)
            throw Bad($"tensor '{name}' has no array field '{field}'");
        var result = new long[arr.GetArrayLength()];
        int k = 0;
        foreach (var v in arr.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
                throw Bad($"tensor '{name}': '{field}' holds a non-integer value {v}");
            result[k++] = n;
        }
        return result;
    }

    // The data section must be covered exactly: no tensor past its end, no overlaps, no gaps.
    private void CheckLayout(IEnumerable<SafetensorsEntry> entries, long dataLength)
    {
        long position = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.End > dataLength)
                throw Bad($"tensor '{e.Name}' data_offsets [{e.Begin}, {e.End}] run past the data section " +
                    $"({dataLength} bytes)");
            if (e.Begin < position)
                throw Bad($"tensor '{e.Name}' [{e.Begin}, {e.End}] overlaps tensor '{previous!.Name}' " +
                    $"[{previous.Begin}, {previous.End}]");
            if (e.Begin > position)
                throw Bad($"gap of {e.Begin - position} bytes before tensor '{e.Name}' at offset {position}");
            position = e.End;
            previous = e;
        }
        if (position != dataLength)
            throw Bad($"{dataLength - position} trailing bytes after the last tensor");
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    public SafetensorsEntry Entry(string name) =>
        _entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    /// <summary>Reads one tensor into new CPU memory (its stored dtype), optionally converting afterwards.</summary>
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        var e = Entry(name);
        var t = torch.empty(e.Shape, e.ScalarType);
        try { Fill(e, t); }
        catch { t.Dispose(); throw; }
        if ((dtype == null || dtype == e.ScalarType) && (device == null || device.type == DeviceType.CPU)) return t;
        using (t) return t.to(dtype ?? e.ScalarType, device ?? CPU);
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="target"/> (same shape). A contiguous CPU
    /// target of the stored dtype is filled directly from the file; otherwise through one temporary tensor.
    /// </summary>
    public void ReadInto(string name, Tensor target)
    {
        var e = Entry(name);
        if (!e.Shape.SequenceEqual(target.shape))
            throw new ArgumentException($"{Path}: tensor '{name}' has shape [{string.Join(", ", e.Shape)}] but the " +
                $"target has [{string.Join(", ", target.shape)}]");
        using var noGrad = torch.no_grad();
        if (target.device_type == DeviceType.CPU && target.dtype == e.ScalarType && target.is_contiguous())
        {
            Fill(e, target);
            return;
        }
        using var temp = Read(name);
        target.copy_(temp);
    }

    private unsafe void Fill(SafetensorsEntry e, Tensor t)
    {
        if (e.ByteLength == 0) return;
        byte* p = (byte*)t.DataPointer();
        long done = 0;
        while (done < e.ByteLength)
        {
            int chunk = (int)Math.Min(e.ByteLength - done, 1 << 30);
            int read = RandomAccess.Read(_file, new Span<byte>(p + done, chunk), _dataStart + e.Begin + done);
            if (read <= 0) throw Bad($"unexpected end of file while reading tensor '{e.Name}'");
            done += read;
        }
    }

    public void Dispose() => _file.Dispose();
}
