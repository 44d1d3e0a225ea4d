using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// The Markdown that notebooks use, rendered to HTML for reports: headings, paragraphs, emphasis, inline
/// code, fenced code blocks, bullet and numbered lists, links, and pipe tables. Everything else is escaped text.
/// </summary>
public static partial class MarkdownToHtml
{
    public static string Convert(string markdown)
    {
        var html = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var paragraph = new List<string>();
        string? list = null;

        void FlushParagraph()
        {
            if (paragraph.Count == 0) return;
            html.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n");
            paragraph.Clear();
        }
        void CloseList()
        {
            if (list is null) return;
            html.Append($"</{list}>\n");
            list = null;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                FlushParagraph(); CloseList();
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                    code.Append(lines[i]).Append('\n');
                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(code.ToString())).Append("</code></pre>\n");
                continue;
            }
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                FlushParagraph(); CloseList();
                int level = heading.Groups[1].Length;
                html.Append($"<h{level}>").Append(Inline(heading.Groups[2].Value)).Append($"</h{level}>\n");
                continue;
            }
            if (line.TrimStart().StartsWith('|') && i + 1 < lines.Length && TableRule().IsMatch(lines[i + 1]))
            {
                FlushParagraph(); CloseList();
                html.Append("<table>\n<tr>").Append(string.Concat(Cells(line).Select(c => $"<th>{Inline(c)}</th>")))
                    .Append("</tr>\n");
                for (i += 2; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
                    html.Append("<tr>").Append(string.Concat(Cells(lines[i]).Select(c => $"<td>{Inline(c)}</td>")))
                        .Append("</tr>\n");
                i--;
                html.Append("</table>\n");
                continue;
            }
            var item = ListItem().Match(line);
            if (item.Success)
            {
                FlushParagraph();
                string kind = char.IsDigit(item.Groups[1].Value[0]) ? "ol" : "ul";
                if (list != kind) { CloseList(); html.Append($"<{kind}>\n"); list = kind; }
                html.Append("<li>").Append(Inline(item.Groups[2].Value)).Append("</li>\n");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) { FlushParagraph(); CloseList(); continue; }
            if (list is not null && line.StartsWith("  ", StringComparison.Ordinal))
            {
                html.Length -= "</li>\n".Length;
                html.Append(' ').Append(Inline(line.Trim())).Append("</li>\n");
                continue;
            }
            CloseList();
            paragraph.Add(line.Trim());
        }
        FlushParagraph(); CloseList();
        return html.ToString();
    }

    private static IEnumerable<string> Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim());

    /// <summary>Inline markup: `code`, **bold**, *italic*, [text](url); the rest HTML-escaped.</summary>
    public static string Inline(string text)
    {
        var parts = text.Split('`');
        var result = new StringBuilder();
        for (int k = 0; k < parts.Length; k++)
        {
            string escaped = WebUtility.HtmlEncode(parts[k]);
            if (k % 2 == 1 && k < parts.Length - 1)
            {
                result.Append("<code>").Append(escaped).Append("</code>"); continue;
            }
            escaped = Link().Replace(escaped, m => $"<a href=\"{m.Groups[2].Value}\">{m.Groups[1].Value}</a>");
            escaped = Bold().Replace(escaped, "<strong>$1</strong>");
            escaped = Italic().Replace(escaped, "<em>$1</em>");
            result.Append(k % 2 == 1 ? "`" + escaped : escaped);
        }
        return result.ToString();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")] private static partial Regex Heading();
    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}")] private static partial Regex TableRule();
    [GeneratedRegex(@"^\s*([-*+]|\d+\.)\s+(.*)$")] private static partial Regex ListItem();
    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")] private static partial Regex Link();
    [GeneratedRegex(@"\*\*(.+?)\*\*")] private static partial Regex Bold();
    [GeneratedRegex(@"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")] private static partial Regex Italic();
}
