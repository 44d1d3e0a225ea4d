using LatentRules.Data;
using LatentRules.Data.UserData;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Data.UserData;

/// <summary>Reading a user's rule-labelled JSONL or CSV file: the same records from both, and every refusal.</summary>
public sealed class RuleDataFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"lr-userdata-{Guid.NewGuid():N}");

    public RuleDataFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Two valid rules of three records each, as JSONL lines (appended after a line under test).</summary>
    private static readonly string ValidJsonl = string.Concat(Enumerable.Range(1, 3).SelectMany(i => new[]
    {
        $"{{\"rule\":\"a\",\"premises\":[\"pa{i}\"],\"conclusion\":\"ca{i}\"}}\n",
        $"{{\"rule\":\"b\",\"premises\":[\"pb{i}\"],\"conclusion\":\"cb{i}\"}}\n",
    }));

    private static readonly string ValidCsvRows =
        string.Concat(Enumerable.Range(1, 3).Select(i => $"a,pa{i},ca{i}\nb,pb{i},cb{i}\n"));

    /// <summary>What a record says, comparable by value: rule, premises joined, conclusion, group.</summary>
    private static (string, string, string, string?) Content(ReasoningExample e) =>
        (e.Rule, string.Join(" // ", e.Premises), e.Conclusion, e.Field(RuleDataFile.GroupField));

    /// <summary>Two more records of each rule in a second group, so that a two-record file passes the checks.</summary>
    private static readonly (string rule, string premise)[] Filler = { ("mp", "f1"), ("mp", "f2"), ("mt", "f3"),
        ("mt", "f4") };

    [Fact]
    public void JsonlAndCsvReadTheSameRecords()
    {
        string jsonl = Write("mydata.jsonl",
            "{\"rule\":\"mp\",\"premises\":[\"If it rains, the street is wet.\",\"It rains.\"]," +
            "\"conclusion\":\"The street is wet.\",\"group\":\"weather\"}\n" +
            "\n" +
            "{\"Rule\":\" mt \",\"premises\":\"Not \\\"wet\\\".\",\"conclusion\":\"No rain.\"," +
            "\"GROUP\":\"weather\"}\n" +
            string.Concat(Filler.Select(f =>
                $"{{\"rule\":\"{f.rule}\",\"premises\":[\"{f.premise}\"],\"conclusion\":\"c\"," +
                "\"group\":\"home\"}\n")));
        string csv = Write("mydata.csv",
            "Group,CONCLUSION,rule,premises\r\n" +
            "weather,The street is wet.,mp,\"If it rains, the street is wet. | It rains.\"\r\n" +
            "\r\n" +
            "weather,No rain.,  mt  ,\"Not \"\"wet\"\".\"\r\n" +
            string.Concat(Filler.Select(f => $"home,c,{f.rule},{f.premise}\r\n")));
        var fromJsonl = RuleDataFile.Read(jsonl);
        var fromCsv = RuleDataFile.Read(csv);
        Assert.Equal(6, fromJsonl.Count);
        Assert.Equal(fromJsonl.Select(Content), fromCsv.Select(Content));
        Assert.Equal(("mp", "If it rains, the street is wet. // It rains.", "The street is wet.", "weather"),
            Content(fromCsv[0]));
        Assert.Equal(new[] { "Not \"wet\"." }, fromJsonl[1].Premises);
        Assert.Equal("mt", fromJsonl[1].Rule);   // trimmed
        // Ids name the line each record starts on (blank lines count); Task names the file.
        Assert.Equal(new[] { "mydata-1", "mydata-3", "mydata-4" }, fromJsonl.Take(3).Select(e => e.Id));
        Assert.Equal(new[] { "mydata-2", "mydata-4", "mydata-5" }, fromCsv.Take(3).Select(e => e.Id));
        Assert.All(fromJsonl.Concat(fromCsv), e => Assert.Equal("file:mydata", e.Task));
    }

    [Fact]
    public void CsvQuotingKeepsCommasQuotesAndNewlinesAndOtherColumnsAreKept()
    {
        string path = Write("quoted.csv",
            "rule,premises,conclusion,source\n" +
            "a,\"x, y and z | he said \"\"hi\"\"\",\"line one\nline two\",book\n" +
            "a,plain | two | three,c2,\n" +
            string.Concat(Enumerable.Range(1, 3).Select(i => $"a,pa{i},ca{i},\nb,pb{i},cb{i},web\n")));
        var e = RuleDataFile.Read(path);
        Assert.Equal(new[] { "x, y and z", "he said \"hi\"" }, e[0].Premises);
        Assert.Equal("line one\nline two", e[0].Conclusion);
        Assert.Equal("book", e[0].Field("source"));
        Assert.Equal(new[] { "plain", "two", "three" }, e[1].Premises);
        Assert.Null(e[1].Fields);                        // an empty cell of another column is not kept
        Assert.Equal("web", e[3].Field("source"));
        // The quoted newline moves the next record down a line.
        Assert.Equal(new[] { "quoted-2", "quoted-4", "quoted-5", "quoted-6" }, e.Take(4).Select(x => x.Id));
    }

    [Fact]
    public void JsonlKeepsOtherFieldsAsTextAndLeavesOutNulls()
    {
        string path = Write("extra.jsonl",
            "{\"rule\":\"a\",\"premises\":[\"p\"],\"conclusion\":\"c\",\"source\":\"book\",\"page\":12," +
            "\"tags\":[\"x\"],\"note\":null}\n" + ValidJsonl);
        var e = RuleDataFile.Read(path)[0];
        Assert.Equal(new Dictionary<string, string> { ["source"] = "book", ["page"] = "12", ["tags"] = "[\"x\"]" },
            e.Fields);
    }

    [Fact]
    public void WrittenFilesReadBackEqual()
    {
        var examples = RuleDataFile.Read(Path.Combine(RepoPaths.Root, "data", "examples", "rules-example.jsonl"))
            .Select((e, i) => i % 7 == 0
                ? e with { Fields = new Dictionary<string, string>(e.Fields!) { ["note"] = "a, \"quoted\"\nnote" } }
                : e)
            .ToList();
        foreach (var name in new[] { "copy.jsonl", "copy.csv" })
        {
            string path = Path.Combine(_folder, name);
            RuleDataFile.Write(path, examples);
            var back = RuleDataFile.Read(path);
            Assert.Equal(examples.Select(Content), back.Select(Content));
            Assert.Equal(examples.Select(e => e.Field("note")), back.Select(e => e.Field("note")));
            Assert.All(back, e => Assert.Equal("file:copy", e.Task));
        }
    }

    [Fact]
    public void TheShippedExampleFilesHoldTheSameRecords()
    {
        string folder = Path.Combine(RepoPaths.Root, "data", "examples");
        var jsonl = RuleDataFile.Read(Path.Combine(folder, "rules-example.jsonl"));
        var csv = RuleDataFile.Read(Path.Combine(folder, "rules-example.csv"));
        Assert.Equal(jsonl.Select(Content), csv.Select(Content));
        Assert.Equal(60, jsonl.Count);
        // 4 rules x 5 topics x 3 chains: 15 records per rule, 3 per rule and topic.
        Assert.All(jsonl.GroupBy(e => e.Rule), g => Assert.Equal(15, g.Count()));
        Assert.All(jsonl.GroupBy(e => (e.Rule, e.Field("group"))), g => Assert.Equal(3, g.Count()));
        Assert.Equal(4, jsonl.Select(e => e.Rule).Distinct().Count());
    }

    private string Refusal(string name, string content)
    {
        string path = Write(name, content);
        var ex = Assert.Throws<InvalidDataException>(() => RuleDataFile.Read(path));
        Assert.StartsWith(path + ":", ex.Message);
        return ex.Message[(path.Length + 1)..];
    }

    [Theory]
    [InlineData("{\"rule\":\"a\",\"premises\":[\"p\"]}", "1: field 'conclusion' is missing")]
    [InlineData("{\"premises\":[\"p\"],\"conclusion\":\"c\"}", "1: field 'rule' is missing")]
    [InlineData("{\"rule\":\"a\",\"conclusion\":\"c\"}", "1: field 'premises' is missing")]
    [InlineData("{\"rule\":\"a\",\"premises\":[\"p\"],", "1: malformed JSON")]
    [InlineData("[\"a\",\"p\",\"c\"]", "1: the line is not a JSON object (found an array)")]
    [InlineData("{\"rule\":3,\"premises\":[\"p\"],\"conclusion\":\"c\"}",
        "1: field 'rule' must be a string, found a number")]
    [InlineData("{\"rule\":\"a\",\"premises\":{\"x\":1},\"conclusion\":\"c\"}",
        "1: field 'premises' must be an array of strings or one string, found an object")]
    [InlineData("{\"rule\":\"a\",\"premises\":[\"p\",7],\"conclusion\":\"c\"}",
        "1: field 'premises' item 2 must be a string, found a number")]
    [InlineData("{\"rule\":\"a\",\"premises\":[\"p\",\" \"],\"conclusion\":\"c\"}",
        "1: field 'premises' item 2 is empty")]
    [InlineData("{\"rule\":\"a\",\"premises\":[],\"conclusion\":\"c\"}", "1: field 'premises' is an empty array")]
    [InlineData("{\"rule\":\"  \",\"premises\":[\"p\"],\"conclusion\":\"c\"}", "1: field 'rule' is empty")]
    [InlineData("{\"rule\":\"a\",\"premises\":[\"p\"],\"conclusion\":\"\"}", "1: field 'conclusion' is empty")]
    [InlineData("{\"rule\":\"a\",\"Rule\":\"b\",\"premises\":[\"p\"],\"conclusion\":\"c\"}",
        "1: field 'rule' appears twice")]
    [InlineData("{\"rule\":\"a\",\"premises\":[\"p\"],\"conclusion\":\"c\",\"group\":5}",
        "1: field 'group' must be a string, found a number")]
    public void BadJsonlRecordsAreRefusedNamingFileLineAndField(string firstLine, string expected)
    {
        Assert.StartsWith(expected, Refusal("bad.jsonl", firstLine + "\n" + ValidJsonl));
    }

    [Theory]
    [InlineData("", "1: empty file")]
    [InlineData("\n  \n", "1: empty file")]
    // Only one rule.
    [InlineData("{\"rule\":\"a\",\"premises\":\"p1\",\"conclusion\":\"c\"}\n" +
        "{\"rule\":\"a\",\"premises\":\"p2\",\"conclusion\":\"c\"}\n",
        "1: field 'rule': the file needs at least two rules; found only 'a'")]
    public void EmptyOrSingleRuleJsonlIsRefused(string content, string expected)
    {
        Assert.StartsWith(expected, Refusal("bad.jsonl", content));
    }

    [Fact]
    public void WholeFileFaultsNameTheLinesAtFault()
    {
        // A repeated record (the group does not matter), named by both lines.
        Assert.StartsWith("7: the record repeats line 1 (same rule, premises and conclusion)",
            Refusal("dup.jsonl", ValidJsonl + "{\"rule\":\"a\",\"premises\":[\" pa1\"],\"conclusion\":\"ca1 \"}\n"));
        // Too few examples of a rule: lines 2 and 4 hold the only two 'b' records.
        Assert.StartsWith("2: field 'rule': rule 'b' has 2 example(s) (lines 2, 4); each rule needs at least 3",
            Refusal("few.jsonl", string.Concat(ValidJsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.Contains("pb3")).Select(l => l + "\n"))));
        // Groups on some records only.
        string grouped = ValidJsonl.Replace("}\n", ",\"group\":\"g\"}\n");
        var lines = grouped.Split('\n');
        lines[2] = lines[2].Replace(",\"group\":\"g\"", "");
        Assert.StartsWith("3: field 'group' is missing, but line 1 has one; give every record a group or none",
            Refusal("some.jsonl", string.Join("\n", lines)));
        // With groups, a rule in one group only cannot keep training examples when its group is held out.
        Assert.StartsWith("1: field 'group': every example of rule 'a' is in group 'g' (lines 1, 3, 5)",
            Refusal("onegroup.jsonl", grouped));
    }

    [Theory]
    [InlineData("", "1: empty file")]
    [InlineData("rule,premises\na,p\n", "1: the header has no 'conclusion' column (found: rule, premises)")]
    [InlineData("rule,premises,conclusion\n", "1: the header is followed by no records")]
    [InlineData("rule,premises,conclusion,Rule\n", "1: column 'Rule' appears twice in the header")]
    [InlineData("rule,premises,,conclusion\n", "1: column 3 of the header has no name")]
    public void BadCsvHeadersAreRefused(string content, string expected)
    {
        Assert.StartsWith(expected, Refusal("bad.csv", content));
    }

    [Theory]
    [InlineData("a,p", "2: 2 cells but the header has 3 columns (rule, premises, conclusion)")]
    [InlineData("a,p,", "2: field 'conclusion' is empty")]
    [InlineData(" ,p,c", "2: field 'rule' is empty")]
    [InlineData("a,,c", "2: field 'premises' is empty")]
    [InlineData("a,p |  | q,c", "2: field 'premises' has an empty premise 2")]
    [InlineData("a,\"p,c", "2: unterminated quote")]
    public void BadCsvRecordsAreRefusedNamingFileLineAndField(string firstRow, string expected)
    {
        Assert.StartsWith(expected, Refusal("bad.csv", "rule,premises,conclusion\n" + firstRow + "\n" + ValidCsvRows));
    }

    [Fact]
    public void AnEmptyGroupCellIsRefused()
    {
        Assert.StartsWith("3: field 'group' is empty",
            Refusal("groups.csv", "rule,premises,conclusion,group\na,p,c,g\nb,p,c,\n"));
    }

    [Fact]
    public void OtherExtensionsAndMissingFilesAreRefusedByName()
    {
        string path = Write("mydata.json", "{}");
        var ex = Assert.Throws<InvalidDataException>(() => RuleDataFile.Read(path));
        Assert.Equal($"{path}: unknown data format '.json'; accepted extensions: .jsonl, .csv", ex.Message);
        string missing = Path.Combine(_folder, "absent.csv");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => RuleDataFile.Read(missing)).Message);
    }
}
