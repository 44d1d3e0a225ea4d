using System.Text.Json;

namespace LatentRules.Tokenizers;

/// <summary>Typed access to a tokenizer's JSON, with errors that name the file and the field.</summary>
internal readonly record struct JsonFields(string Path)
{
    public InvalidDataException Error(string field, string why) => new($"{Path}: {field}: {why}");

    /// <summary>The property, or null when it is absent or JSON null.</summary>
    public JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v)
            && v.ValueKind != JsonValueKind.Null ? v : null;

    public JsonElement Required(JsonElement obj, string name, string field) =>
        Optional(obj, name) ?? throw Error(field, "is missing");

    public string String(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()!
            : throw Error(field, $"must be a string, not {e.ValueKind}");

    public string Type(JsonElement obj, string field) =>
        String(Required(obj, "type", field + ".type"), field + ".type");

    public int Id(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v >= 0 ? v
            : throw Error(field, $"must be a non-negative integer, not {e.GetRawText()}");

    /// <summary>A boolean property; false when absent or null.</summary>
    public bool Bool(JsonElement obj, string name, string field) => Optional(obj, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } v => throw Error(field, $"must be true or false, not {v.GetRawText()}"),
    };
}
