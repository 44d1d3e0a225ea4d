using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// Writes notebook JSON the way Jupyter does (nbformat's writer: one-space indentation, keys sorted, non-ASCII
/// kept as is), so a notebook written here and the same notebook saved by VS Code or Jupyter differ only where
/// their content does.
/// </summary>
public static class NotebookJson
{
    public static string Serialize(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text, 0);
        return text.Append('\n').ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0) { text.Append("{}"); break; }
                text.Append('{');
                bool first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "\n" : ",\n").Append(' ', depth + 1);
                    first = false;
                    WriteString(key, text);
                    text.Append(": ");
                    Write(value, text, depth + 1);
                }
                text.Append('\n').Append(' ', depth).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0) { text.Append("[]"); break; }
                text.Append('[');
                for (int k = 0; k < array.Count; k++)
                {
                    text.Append(k == 0 ? "\n" : ",\n").Append(' ', depth + 1);
                    Write(array[k], text, depth + 1);
                }
                text.Append('\n').Append(' ', depth).Append(']');
                break;
            default:
                var scalar = node.AsValue();
                if (scalar.GetValueKind() == JsonValueKind.String) WriteString(scalar.GetValue<string>(), text);
                else text.Append(scalar.ToJsonString());
                break;
        }
    }

    // Python's json.dumps(ensure_ascii=False): only the quote, the backslash and control characters are escaped.
    private static void WriteString(string s, StringBuilder text)
    {
        text.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
