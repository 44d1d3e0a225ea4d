using System.Net;
using System.Text;
using LatentRules.Notebooks;
using Microsoft.Data.Analysis;

namespace LatentRules.Tables;

/// <summary>
/// How a DataFrame shows: an HTML table in notebooks and reports (numbers right-aligned, a <see cref="LatexColumn"/>'s
/// values as formulas, at most <see cref="MaxRows"/> rows with a note of how many more there are) and Markdown as text.
/// </summary>
public static class FrameView
{
    public const int MaxRows = 100;

    public static string ToHtml(this DataFrame frame)
    {
        var sb = new StringBuilder("<table>\n<thead><tr>");
        foreach (var c in frame.Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        long shown = Math.Min(frame.Rows.Count, MaxRows);
        for (long r = 0; r < shown; r++)
        {
            sb.Append("<tr>");
            foreach (var c in frame.Columns)
                sb.Append(Frames.IsNumeric(c) ? "<td style=\"text-align:right\">" : "<td>")
                  .Append(c is LatexColumn && c[r] is string tex ? new Latex(tex).Element()
                      : WebUtility.HtmlEncode(Frames.Cell(c[r])))
                  .Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>");
        if (frame.Rows.Count > shown)
            sb.Append($"\n<p><i>{frame.Rows.Count - shown} more rows ({frame.Rows.Count} in all)</i></p>");
        if (frame.Columns.Any(c => c is LatexColumn)) sb.Append(Latex.Typeset());
        return sb.ToString();
    }

    public static string ToMarkdown(this DataFrame frame)
    {
        static string Escape(string s) => s.Replace("|", "\\|").Replace("\n", " ");
        var sb = new StringBuilder("| ").Append(string.Join(" | ", frame.Columns.Select(c => Escape(c.Name))))
            .Append(" |\n|");
        foreach (var c in frame.Columns) sb.Append(Frames.IsNumeric(c) ? "---:|" : "---|");
        sb.Append('\n');
        for (long r = 0; r < frame.Rows.Count; r++)
            sb.Append("| ").Append(string.Join(" | ", frame.Columns.Select(c => Escape(Frames.Cell(c[r])))))
                .Append(" |\n");
        return sb.ToString();
    }
}
