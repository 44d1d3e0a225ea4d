using LatentRules.Lab.Notebooks;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Style;

/// <summary>
/// The 120-column limit of .editorconfig, checked: every line of C# in lib/, tests/ and environment/ and every line of
/// a notebook cell. (`dotnet format --verify-no-changes` in .ci/run checks whitespace and style; it does not wrap.)
/// </summary>
public sealed class SourceStyleTests
{
    private const int Columns = 120;

    private static IEnumerable<string> CSharpFiles() =>
        new[] { "lib", "tests", "environment" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.cs",
                SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "node_modules"));

    /// <summary>"file:line (N columns)" for every line over the limit; lengths count characters, not bytes.</summary>
    internal static List<string> LongLines(string path, IEnumerable<string> lines) =>
        lines.Select((line, i) => (line, number: i + 1))
            .Where(l => l.line.EnumerateRunes().Count() > Columns)
            .Select(l => $"{Path.GetRelativePath(RepoPaths.Root, path)}:{l.number} " +
                         $"({l.line.EnumerateRunes().Count()} columns)")
            .ToList();

    [Fact]
    public void CSharpLinesFitIn120Columns()
    {
        var files = CSharpFiles().ToList();
        Assert.True(files.Count > 100, $"found only {files.Count} C# files under {RepoPaths.Root}");
        var longLines = files.SelectMany(f => LongLines(f, File.ReadLines(f))).ToList();
        Assert.True(longLines.Count == 0, $"{longLines.Count} lines over {Columns} columns:\n" +
                                          string.Join("\n", longLines.Take(40)));
    }

    [Fact]
    public void NotebookLinesFitIn120Columns()
    {
        var longLines = new List<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb"))
        {
            var document = NotebookDocument.Load(path);
            for (int c = 0; c < document.Cells.Count; c++)
                longLines.AddRange(LongLines(path, document.Source(c).Split('\n')).Select(l => $"cell {c}: {l}"));
        }
        Assert.True(longLines.Count == 0, string.Join("\n", longLines));
    }

    [Fact]
    public void TheCheckCountsCharactersAndFindsALongLine()
    {
        string fits = new string('x', 119) + "𐀀";                 // 120 characters, 123 UTF-8 bytes
        string over = new string('x', 121);
        var found = LongLines(Path.Combine(RepoPaths.Root, "a.cs"), new[] { fits, "", over });
        Assert.Equal(new[] { "a.cs:3 (121 columns)" }, found);
    }
}
