using System.Text;

namespace LatentRules.Tokenizers;

/// <summary>One turn of a chat: role ("system", "user", "assistant") and text.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// Qwen2.5's chat format (ChatML, as its tokenizer_config.json template renders it without tools): each turn is
/// &lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n, and a prompt for a reply ends with &lt;|im_start|&gt;assistant\n.
/// A default system turn is added when none is given.
/// </summary>
public static class ChatTemplate
{
    public const string DefaultSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
    public const string Start = "<|im_start|>", End = "<|im_end|>";
    private static readonly string[] Roles = { "system", "user", "assistant" };

    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var sb = new StringBuilder();
        if (messages.Count == 0 || messages[0].Role != "system") Turn(sb, "system", DefaultSystem);
        foreach (var m in messages)
        {
            if (!Roles.Contains(m.Role))
                throw new ArgumentException($"chat role '{m.Role}' is not system, user or assistant");
            if (m.Content.Contains(Start) || m.Content.Contains(End))
                throw new ArgumentException($"a {m.Role} message contains {Start} or {End}, which would end its turn");
            Turn(sb, m.Role, m.Content);
        }
        if (addGenerationPrompt) sb.Append(Start).Append("assistant\n");
        return sb.ToString();
    }

    private static void Turn(StringBuilder sb, string role, string content) =>
        sb.Append(Start).Append(role).Append('\n').Append(content).Append(End).Append('\n');

    /// <summary>
    /// The turns of a rendered conversation (the inverse of <see cref="Render"/>). A last turn without
    /// &lt;|im_end|&gt; (the generation prompt, or a reply being generated) is returned as <c>Open</c>; its content is
    /// the text so far, cut at &lt;|endoftext|&gt; if the model ended there.
    /// </summary>
    public static (List<ChatMessage> Turns, ChatMessage? Open) Parse(string text)
    {
        var turns = new List<ChatMessage>();
        int pos = 0;
        while (pos < text.Length)
        {
            if (string.CompareOrdinal(text, pos, Start, 0, Start.Length) != 0)
                throw new FormatException($"expected {Start} at character {pos}: {Excerpt(text, pos)}");
            int roleStart = pos + Start.Length, newline = text.IndexOf('\n', roleStart);
            if (newline < 0) throw new FormatException($"turn at character {pos} has no newline after its role");
            var role = text[roleStart..newline];
            int contentStart = newline + 1, end = text.IndexOf(End, contentStart, StringComparison.Ordinal);
            if (end < 0)
            {
                string rest = text[contentStart..];
                int eot = rest.IndexOf("<|endoftext|>", StringComparison.Ordinal);
                return (turns, new ChatMessage(role, eot < 0 ? rest : rest[..eot]));
            }
            turns.Add(new ChatMessage(role, text[contentStart..end]));
            pos = end + End.Length;
            if (pos < text.Length && text[pos] == '\n') pos++;
        }
        return (turns, null);
    }

    private static string Excerpt(string text, int pos) => text.Substring(pos, Math.Min(30, text.Length - pos));
}
