using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LatentRules.Notebooks;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// The Markdown that notebooks use, rendered to HTML for reports: headings, paragraphs, emphasis, inline
/// code, fenced code blocks, bullet and numbered lists, links, pipe tables, images and formulas. Everything else is
/// escaped text. Formulas ($...$ inline, $$...$$ displayed, also as a block of lines) become <see cref="Latex"/>
/// elements, untouched by the other rules, for KaTeX to typeset (<see cref="Latex.Typeset"/>). An image
/// ![alt](path) whose file is found relative to <c>folder</c> is embedded as a data URI, so a report stays one
/// self-contained file; any other image keeps its address.
/// </summary>
public static partial class MarkdownToHtml
{
    /// <param name="markdown">the cell's source</param>
    /// <param name="folder">where relative image paths start (the notebook's folder); null: images keep their
    /// addresses</param>
    public static string Convert(string markdown, string? folder = null)
    {
        var html = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var paragraph = new List<string>();
        string? list = null;

        void FlushParagraph()
        {
            if (paragraph.Count == 0) return;
            html.Append("<p>").Append(Inline(string.Join(" ", paragraph), folder)).Append("</p>\n");
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
            if (line.TrimStart().StartsWith("$$", StringComparison.Ordinal))
            {
                FlushParagraph(); CloseList();
                var tex = new StringBuilder(line.Trim()[2..]);
                for (; !tex.ToString().TrimEnd().EndsWith("$$", StringComparison.Ordinal) && i + 1 < lines.Length; i++)
                    tex.Append('\n').Append(lines[i + 1]);
                string formula = tex.ToString().TrimEnd();
                if (formula.EndsWith("$$", StringComparison.Ordinal)) formula = formula[..^2];
                html.Append("<div class=\"math\">").Append(new Latex(formula.Trim()).Element(display: true))
                    .Append("</div>\n");
                continue;
            }
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                FlushParagraph(); CloseList();
                int level = heading.Groups[1].Length;
                html.Append($"<h{level}>").Append(Inline(heading.Groups[2].Value, folder)).Append($"</h{level}>\n");
                continue;
            }
            if (line.TrimStart().StartsWith('|') && i + 1 < lines.Length && TableRule().IsMatch(lines[i + 1]))
            {
                FlushParagraph(); CloseList();
                html.Append("<table>\n<tr>")
                    .Append(string.Concat(Cells(line).Select(c => $"<th>{Inline(c, folder)}</th>")))
                    .Append("</tr>\n");
                for (i += 2; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
                    html.Append("<tr>")
                        .Append(string.Concat(Cells(lines[i]).Select(c => $"<td>{Inline(c, folder)}</td>")))
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
                html.Append("<li>").Append(Inline(item.Groups[2].Value, folder)).Append("</li>\n");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) { FlushParagraph(); CloseList(); continue; }
            if (list is not null && line.StartsWith("  ", StringComparison.Ordinal))
            {
                html.Length -= "</li>\n".Length;
                html.Append(' ').Append(Inline(line.Trim(), folder)).Append("</li>\n");
                continue;
            }
            CloseList();
            paragraph.Add(line.Trim());
        }
        FlushParagraph(); CloseList();
        return html.ToString();
    }

    private static IEnumerable<string> Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim());

    /// <summary>
    /// Inline markup: `code`, $formula$, **bold**, *italic*, ![alt](image), [text](url); the rest HTML-escaped.
    /// </summary>
    public static string Inline(string text, string? folder = null)
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
            var formulas = new List<string>();
            escaped = Formula().Replace(escaped, m =>
            {
                string tex = WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
                formulas.Add(new Latex(tex).Element(display: m.Groups[1].Success));
                return $"\u0001{formulas.Count - 1}\u0001";             // kept out of the rules below
            });
            escaped = Image().Replace(escaped, m => ImageElement(WebUtility.HtmlDecode(m.Groups[1].Value),
                WebUtility.HtmlDecode(m.Groups[2].Value), folder));
            escaped = Link().Replace(escaped, m => $"<a href=\"{m.Groups[2].Value}\">{m.Groups[1].Value}</a>");
            escaped = Bold().Replace(escaped, "<strong>$1</strong>");
            escaped = Italic().Replace(escaped, "<em>$1</em>");
            escaped = Placeholder().Replace(escaped, m => formulas[int.Parse(m.Groups[1].Value)]);
            result.Append(k % 2 == 1 ? "`" + escaped : escaped);
        }
        return result.ToString();
    }

    // An image embedded as a data URI when its file is found relative to the folder, else by its address.
    private static string ImageElement(string alt, string address, string? folder)
    {
        string? file = folder is null || address.Contains("://", StringComparison.Ordinal) ? null
            : Path.GetFullPath(Path.Combine(folder, address));
        string? type = Path.GetExtension(address).ToLowerInvariant() switch
        {
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            _ => null,
        };
        string source = file is not null && type is not null && File.Exists(file)
            ? $"data:{type};base64,{System.Convert.ToBase64String(File.ReadAllBytes(file))}"
            : WebUtility.HtmlEncode(address);
        return $"<img src=\"{source}\" alt=\"{WebUtility.HtmlEncode(alt)}\" style=\"max-width:100%\">";
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")] private static partial Regex Heading();
    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}")] private static partial Regex TableRule();
    [GeneratedRegex(@"^\s*([-*+]|\d+\.)\s+(.*)$")] private static partial Regex ListItem();
    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")] private static partial Regex Link();
    [GeneratedRegex(@"!\[([^\]]*)\]\(([^)\s]+)\)")] private static partial Regex Image();
    // $$display$$ or $inline$ (pandoc's rule: no space just inside the dollars, no digit right after the closing one)
    [GeneratedRegex(@"\$\$(.+?)\$\$|\$(?![\s$])(.+?)(?<!\s)\$(?!\d)")] private static partial Regex Formula();
    [GeneratedRegex("\u0001(\\d+)\u0001")] private static partial Regex Placeholder();
    [GeneratedRegex(@"\*\*(.+?)\*\*")] private static partial Regex Bold();
    [GeneratedRegex(@"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")] private static partial Regex Italic();
}
