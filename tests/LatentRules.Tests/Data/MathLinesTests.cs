using LatentRules.Data;
using LatentRules.Data.Mathematics;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Data;

public sealed class MathLinesTests
{
    private static string Reference(string name) => ReferenceData.Path(Path.Combine("math-derivations", name));

    [ReferenceDataTheory]
    // 32,000 derivations, 16,000 per operator (the reference README says 31,999: `wc -l` misses the last line, which
    // has no newline).
    [InlineData("train.txt", 32_000, 16_000)]
    [InlineData("test.txt", 8_000, -1)]
    public void EveryPublishedLineIsRead(string file, int lines, int integrations)
    {
        var examples = DatasetImporters.Import("math-lines", Reference(file));
        Assert.Equal(lines, examples.Count);
        if (integrations >= 0) Assert.Equal(integrations, examples.Count(e => e.Rule == "integration"));
        Assert.All(examples, e => Assert.Contains(e.Rule, MathLines.Operators));
        // The line format round-trips exactly.
        var original = File.ReadLines(Reference(file)).Take(500).ToList();
        Assert.Equal(original, examples.Take(500).Select(MathLines.Format));
    }

    [Fact]
    public void FieldsComeFromTheLine()
    {
        var (e, error) = MathLines.Parse("performing differentiation for \\frac{E}{a} - Q where the variable is a & " +
            "the result is - \\frac{E}{a^{2}}", "x");
        Assert.Null(error);
        Assert.Equal("differentiation", e!.Rule);
        Assert.Equal("\\frac{E}{a} - Q", e.Premises[0]);
        Assert.Equal("a", e.Field("variable"));
        Assert.Equal("- \\frac{E}{a^{2}}", e.Conclusion);
    }

    [Fact]
    public void BadLinesAreAllReportedWithTheirLineNumbers()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lr-math-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, new[]
        {
            "performing differentiation for x where the variable is x & the result is 1",
            "performing summation for x where the variable is x & the result is 1",
            "this is not a derivation",
        });
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => MathLines.ReadFile(path));
            Assert.Contains($"{path}:2: unknown operator 'summation'", e.Message);
            Assert.Contains($"{path}:3: does not match", e.Message);
            Assert.StartsWith("2 unreadable line(s)", e.Message);
        }
        finally { File.Delete(path); }
    }

    [ReferenceDataFact]
    public void JsonlRoundTripAndErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lr-jsonl-{Guid.NewGuid():N}.jsonl");
        try
        {
            var examples = MathLines.ReadFile(Reference("test.txt")).Take(100).ToList();
            ReasoningJsonl.Write(path, examples);
            var back = ReasoningJsonl.Read(path);
            Assert.Equal(examples.Select(MathLines.Format), back.Select(MathLines.Format));
            Assert.Contains("\"rule\":\"differentiation\"", File.ReadLines(path).First() + File.ReadAllText(path));
            File.AppendAllText(path, "{\"id\": \"x\"}\n");
            Assert.Contains(":101: a record needs",
                Assert.Throws<InvalidDataException>(() => ReasoningJsonl.Read(path)).Message);
            File.WriteAllText(path, "{oops\n");
            Assert.Contains(":1: invalid record",
                Assert.Throws<InvalidDataException>(() => ReasoningJsonl.Read(path)).Message);
        }
        finally { File.Delete(path); }
    }
}
