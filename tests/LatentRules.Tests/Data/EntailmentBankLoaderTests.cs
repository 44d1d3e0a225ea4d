using LatentRules.Data;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Data;

public sealed class EntailmentBankLoaderTests
{
    private static string Reference(string name) => ReferenceData.Path(Path.Combine("entailmentbank-steps", name));

    private static string TempFile(string ext, string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"lr-eb-{Guid.NewGuid():N}.{ext}");
        File.WriteAllText(path, content);
        return path;
    }

    [ReferenceDataTheory]
    [InlineData("train.csv")]
    [InlineData("test.csv")]
    public void PublishedStepFilesAreReadCompletely(string file)
    {
        string path = Reference(file);
        // Independent count and content from Python's csv module.
        var py = PythonReference.Run($$"""
            import csv, json
            rows = list(csv.reader(
                open({{System.Text.Json.JsonSerializer.Serialize(path)}}, newline='', encoding='utf-8')))
            body = rows[1:]
            print(len(body))
            print(json.dumps([r[1].strip() for r in body][-1]))
            print(json.dumps(body[0][3].strip()))
            """).Split('\n');
        var examples = DatasetImporters.Import("entailmentbank-csv", path);
        Assert.Equal(int.Parse(py[0]), examples.Count);
        Assert.Equal(file == "train.csv" ? 5000 : 134, examples.Count);
        Assert.Equal(System.Text.Json.JsonSerializer.Deserialize<string>(py[1]), examples[^1].Premises[0]);
        Assert.Equal(System.Text.Json.JsonSerializer.Deserialize<string>(py[2]), examples[0].Conclusion);
        Assert.All(examples, e =>
        {
            Assert.Equal("unknown", e.Rule);
            Assert.Equal(2, e.Premises.Count);
            Assert.False(string.IsNullOrWhiteSpace(e.Conclusion));
        });
    }

    [Fact]
    public void QuotedCommasDoubledQuotesAndNewlinesAreKept()
    {
        string path = TempFile("csv", ",premise1,premise2,conclusion\r\n" +
            "7,\"a, b and c\",\"he said \"\"hot\"\"\",\"line one\nline two\"\n" +
            "8,plain,text,here");
        try
        {
            var e = DatasetImporters.Import("entailmentbank-csv", path);
            Assert.Equal(2, e.Count);
            Assert.Equal("a, b and c", e[0].Premises[0]);
            Assert.Equal("he said \"hot\"", e[0].Premises[1]);
            Assert.Equal("line one\nline two", e[0].Conclusion);
            Assert.Equal("7", e[0].Field("index"));
            Assert.Equal("4", e[1].Field("line")); // the quoted newline moves the next record down a line
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("premise1,premise2,conclusion\n1,a,b\n", ":1: missing header")]
    [InlineData(",premise1,premise2,conclusion\n1,a,b,c\n2,a,b\n", ":3: wrong column count")]
    [InlineData(",premise1,premise2,conclusion\n1,a,b,c,d\n", ":2: wrong column count")]
    [InlineData(",premise1,premise2,conclusion\n1,a,b,c\n2,\"open,b,c\n3,a,b,c\n", ":3: unterminated quote")]
    [InlineData(",premise1,premise2,conclusion\n1,a,  ,c\n", ":2: empty premise2")]
    [InlineData(",premise1,premise2,conclusion\n1,,b,c\n", ":2: empty premise1")]
    [InlineData(",premise1,premise2,conclusion\n1,a\"b,b,c\n", ":2: a quote inside an unquoted cell")]
    [InlineData("", ":1: empty file")]
    public void MalformedCsvNamesFileLineAndFault(string content, string expected)
    {
        string path = TempFile("csv", content);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => DatasetImporters.Import("entailmentbank-csv", path));
            Assert.Contains(path + expected, ex.Message);
        }
        finally { File.Delete(path); }
    }

    private const string TreeLine =
        """{"id":"Q1","context":"sent1: a dog is a kind of mammal sent2: a mammal is warm-blooded sent3: """ +
        """warm-blooded animals keep a steady body temperature","hypothesis":"a dog keeps a steady body """ +
        """temperature","proof":"sent1 & sent2 -> int1: a dog is warm-blooded; int1 & sent3 -> """ +
        """hypothesis; ","meta":{"triples":{"sent1":"a dog is a kind of mammal","sent2":"a mammal is """ +
        """warm-blooded","sent3":"warm-blooded animals keep a steady body """ +
        """temperature"},"intermediate_conclusions":{"int1":"a dog is warm-blooded"}}}""";

    [Fact]
    public void TreesAreCutIntoSteps()
    {
        // The second tree has no meta: its sentences come from the context string, and a three-premise step.
        string second = """{"id":"Q2","context":"sent1: ice is cold sent2: snow is ice sent3: cold things feel """ +
            """cold","hypothesis":"snow feels cold","proof":"sent1 & sent2 & sent3 -> hypothesis"}""";
        string path = TempFile("jsonl", TreeLine + "\n\n" + second + "\n");
        try
        {
            var e = DatasetImporters.Import("entailmentbank-jsonl", path);
            Assert.Equal(3, e.Count);
            Assert.Equal(new[] { "a dog is a kind of mammal", "a mammal is warm-blooded" }, e[0].Premises);
            Assert.Equal("a dog is warm-blooded", e[0].Conclusion);
            Assert.Equal(new[] { "a dog is warm-blooded", "warm-blooded animals keep a steady body temperature" },
                e[1].Premises);
            Assert.Equal("a dog keeps a steady body temperature", e[1].Conclusion);
            Assert.Equal("hypothesis", e[1].Field("target"));
            Assert.Equal(new[] { "ice is cold", "snow is ice", "cold things feel cold" }, e[2].Premises);
            Assert.Equal("snow feels cold", e[2].Conclusion);
            Assert.Equal("Q2", e[2].Field("tree_id"));
            Assert.All(e, x => Assert.Equal("unknown", x.Rule));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("{\"id\":\"Q\",\"proof\":\"sent1 -> hypothesis\"}", ":2: missing \"hypothesis\"")]
    [InlineData("{\"id\":\"Q\",\"hypothesis\":\"h\"}", ":2: missing \"proof\"")]
    [InlineData("{\"id\":\"Q\",\"hypothesis\":\"h\",\"context\":\"sent1: x\",\"proof\":\"sent1 & " +
        "sent9 -> hypothesis\"}", ":2: proof step 1: 'sent9' is not defined")]
    [InlineData("{\"id\":\"Q\",\"hypothesis\":\"h\",\"context\":\"sent1: x\",\"proof\":\"sent1 hypothesis\"}",
        ":2: proof step 1 'sent1 hypothesis' has no '->'")]
    [InlineData("{\"id\":\"Q\",\"hypothesis\":\"h\",\"context\":\"sent1: x\",\"proof\":\"sent1 -> " +
        "int1 without colon\"}", ":2: proof step 1")]
    [InlineData("{\"id\":\"Q\", broken", ":2: invalid JSON")]
    public void MalformedTreesNameFileLineAndFault(string badLine, string expected)
    {
        string path = TempFile("jsonl", TreeLine + "\n" + badLine + "\n");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => DatasetImporters.Import("entailmentbank-jsonl", path));
            Assert.Contains(path + expected, ex.Message);
        }
        finally { File.Delete(path); }
    }
}
