using System.Text.RegularExpressions;
using LatentRules.Lab.Notebooks;
using LatentRules.Plots;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Notebooks;

/// <summary>
/// The HTML report's Markdown: formulas are kept away from the Markdown rules and typeset by KaTeX in the page (the
/// headless-Chromium checks), and images next to the notebook travel inside the page as data URIs.
/// </summary>
public sealed class HtmlReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-report-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FormulasAreLeftToKatexAndNotReadAsMarkdown()
    {
        string html = MarkdownToHtml.Convert(
            "The loss $a*b + c*d$ and `$not math$`; costs $5 and $6.\n\n$$\n\\mathcal{L} = x_{1} < y\n$$\n" +
            "After: $$\\beta$$ inline.");
        Assert.Contains("<span class=\"lr-tex\" data-tex=\"a*b + c*d\"", html);      // no <em> from the stars
        Assert.Contains("<code>$not math$</code>", html);
        Assert.Contains("costs $5 and $6.", html);                                      // prices stay text
        Assert.Contains("<div class=\"math\"><span class=\"lr-tex\" data-display=\"1\" " +
            "data-tex=\"\\mathcal{L} = x_{1} &lt; y\"", html);                           // a block over three lines
        Assert.Contains("<span class=\"lr-tex\" data-display=\"1\" data-tex=\"\\beta\"", html);
        Assert.DoesNotContain("<em>", html);
    }

    [Fact]
    public void AnImageBesideTheNotebookIsEmbeddedAndAnyOtherKeepsItsAddress()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "images"));
        string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>";
        File.WriteAllText(Path.Combine(_dir, "images", "dot.svg"), svg);
        string html = MarkdownToHtml.Convert("See ![the model](images/dot.svg) and ![gone](images/none.png).", _dir);
        string data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
        Assert.Contains($"<img src=\"data:image/svg+xml;base64,{data}\" alt=\"the model\"", html);
        Assert.Contains("<img src=\"images/none.png\" alt=\"gone\"", html);
        Assert.DoesNotContain("<a href", html);                                         // not read as a link
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AReportTypesetsMarkdownFormulasAndShowsItsImagesOffline()
    {
        File.WriteAllText(Path.Combine(_dir, "box.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">" +
            "<rect width=\"40\" height=\"20\"/></svg>");
        string path = Path.Combine(_dir, "math.ipynb");
        new NotebookBuilder().Markdown("# Formulas\nInline $z = \\mu + \\sigma \\odot \\epsilon$ and\n\n" +
            "$$\n\\mathrm{KL} = \\frac{1}{2} \\sum_{k} (\\mu_k^2 + \\sigma_k^2 - 1 - \\log \\sigma_k^2)\n$$\n\n" +
            "![box](box.svg)").Save(path);
        string html = Path.Combine(_dir, "math.html");
        HtmlReport.Write(NotebookDocument.Load(path), html);
        string dom = HeadlessChromium.Run($"--dump-dom file://{html}");
        Assert.Equal(2, Regex.Matches(dom, "<math").Count);
        Assert.Single(Regex.Matches(dom, "<math[^>]*display=\"block\""));
        Assert.Contains("<mfrac>", dom);
        Assert.DoesNotContain("class=\"katex-error\"", dom);           // (KaTeX's own source names the class)
        Assert.Contains("<img src=\"data:image/svg+xml;base64,", dom);
    }

    public static TheoryData<string> NotebooksWithFormulas()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb").OrderBy(p => p))
        {
            var notebook = NotebookDocument.Load(path);
            if (Enumerable.Range(0, notebook.Cells.Count).Any(c => notebook.CellType(c) == "markdown"
                    && notebook.Source(c).Contains('$')))
                data.Add(Path.GetFileName(path));
        }
        return data;
    }

    /// <summary>
    /// Every formula in the notebooks' Markdown is one KaTeX can read (none left as a red error). The committed
    /// outputs are cleared first: a model's generated conclusions are shown as formulas and need not be LaTeX.
    /// </summary>
    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(NotebooksWithFormulas))]
    public void EveryFormulaInTheNotebooksTypesets(string name)
    {
        string html = Path.Combine(_dir, Path.ChangeExtension(name, ".html"));
        var notebook = NotebookDocument.Load(Path.Combine(RepoPaths.Root, "notebooks", name));
        notebook.ClearOutputs();
        HtmlReport.Write(notebook, html);
        int formulas = Regex.Matches(File.ReadAllText(html), "<span class=\"lr-tex\"").Count;
        string dom = HeadlessChromium.Run($"--dump-dom file://{html}");
        var errors = Regex.Matches(dom, "class=\"katex-error\"[^>]*title=\"([^\"]*)\"").Select(m => m.Groups[1].Value);
        Assert.True(!dom.Contains("class=\"katex-error\""), $"{name}: {string.Join("; ", errors)}");
        Assert.Equal(formulas, Regex.Matches(dom, "<math").Count);
    }
}
