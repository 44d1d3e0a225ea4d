using System.Net;

namespace LatentRules.Notebooks;

/// <summary>
/// A LaTeX expression shown as a formula: KaTeX (carried by the first formula of a kernel session, so it works
/// offline) typesets it as MathML, which VS Code, the HTML report and Chromium draw natively. The source stays
/// readable: it is the hover title, it is kept inside the MathML (annotation application/x-tex, which copying
/// takes along), and it is what shows where scripts do not run. Tables show a column of Latex values this way.
/// </summary>
public sealed record Latex(string Source) : IHtmlRenderable
{
    /// <summary>
    /// The element of one formula; <see cref="Typeset"/> turns every such element on the page into MathML, in
    /// display style (a centred block) when <paramref name="display"/>.
    /// </summary>
    public string Element(bool display = false)
    {
        string tex = WebUtility.HtmlEncode(Source);
        string block = display ? " data-display=\"1\"" : "";
        return $"<span class=\"lr-tex\"{block} data-tex=\"{tex}\" title=\"{tex}\">{tex}</span>";
    }

    /// <summary>
    /// The script that typesets every formula element not yet typeset (KaTeX with MathML output; a formula KaTeX
    /// cannot read stays as its source, in red). Put once after the elements of an output.
    /// </summary>
    public static string Typeset() =>
        BrowserAsset.Katex.InlineOnceInKernel() +
        "<script>(function(){if(!window.katex)return;" +
        "document.querySelectorAll('span.lr-tex:not([data-typeset])').forEach(function(e){" +
        "e.setAttribute('data-typeset','1');" +
        "katex.render(e.getAttribute('data-tex'),e,{output:'mathml',throwOnError:false," +
        "displayMode:e.hasAttribute('data-display')});});})();</script>";

    public string ToHtml() => Element() + Typeset();

    public string ToText() => Source;

    public override string ToString() => Source;
}
