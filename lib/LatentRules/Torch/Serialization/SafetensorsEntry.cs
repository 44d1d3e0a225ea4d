using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Serialization;

/// <summary>One tensor's header entry: dtype, shape and byte range within the data section.</summary>
public sealed record SafetensorsEntry(
    string Name,          // tensor name, e.g. "model.layers.0.self_attn.q_proj.weight"
    string DType,         // safetensors dtype code: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL
    long[] Shape,         // sizes, row-major
    long Begin,           // first byte, relative to the start of the data section
    long End)             // one past the last byte
{
    public long ByteLength => End - Begin;
    public ScalarType ScalarType => SafetensorsDTypes.ToScalarType(DType, Name);
}

/// <summary>Mapping between safetensors dtype codes and libtorch element types.</summary>
public static class SafetensorsDTypes
{
    private static readonly Dictionary<string, ScalarType> Codes = new(StringComparer.Ordinal)
    {
        ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["F64"] = ScalarType.Float64, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    public static bool IsKnown(string code) => Codes.ContainsKey(code);

    public static ScalarType ToScalarType(string code, string tensorName) =>
        Codes.TryGetValue(code, out var t) ? t
            : throw new InvalidDataException($"tensor '{tensorName}' has unsupported dtype '{code}' (supported: " +
                $"{string.Join(", ", Codes.Keys)})");

    public static string ToCode(ScalarType t) =>
        Codes.FirstOrDefault(kv => kv.Value == t).Key ?? throw new ArgumentException($"no safetensors dtype for {t}");
}
