using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatentRules.Experiments;

/// <summary>The first place where two JSON trees differ, for messages that name the field.</summary>
public static class JsonDifference
{
    /// <summary>
    /// The path of the first difference (<c>definition.settings.steps</c>, <c>...injections[1]</c>) with both
    /// values as JSON text ("(missing)" where one side has none); null when the trees are equal. Objects are compared
    /// key by key in the first tree's order, then the second's extra keys.
    /// </summary>
    public static (string path, string a, string b)? First(JsonNode? a, JsonNode? b, string path = "")
    {
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (var key in x.Select(kv => kv.Key).Concat(y.Select(kv => kv.Key).Where(k => !x.ContainsKey(k))))
            {
                string at = path.Length == 0 ? key : $"{path}.{key}";
                if (!x.ContainsKey(key) || !y.ContainsKey(key))
                    return (at, Text(x.ContainsKey(key), x[key]), Text(y.ContainsKey(key), y[key]));
                if (First(x[key], y[key], at) is { } inner) return inner;
            }
            return null;
        }
        if (a is JsonArray u && b is JsonArray v)
        {
            for (int i = 0; i < Math.Max(u.Count, v.Count); i++)
            {
                string at = $"{path}[{i}]";
                if (i >= u.Count || i >= v.Count) return (at, Text(i < u.Count, i < u.Count ? u[i] : null),
                    Text(i < v.Count, i < v.Count ? v[i] : null));
                if (First(u[i], v[i], at) is { } inner) return inner;
            }
            return null;
        }
        string left = Text(true, a), right = Text(true, b);
        return left == right ? null : (path, left, right);
    }

    // As written, without escapes ("1.0.0+abc", not "1.0.0\u002Babc"): for messages only.
    private static readonly JsonSerializerOptions Readable =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Text(bool present, JsonNode? node) =>
        !present ? "(missing)" : node is null ? "null" : node.ToJsonString(Readable);
}
