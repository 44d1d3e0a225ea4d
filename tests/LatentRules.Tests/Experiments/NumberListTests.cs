using LatentRules.Experiments;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// The one parser of list settings (the command line's --sample-sizes and --rule-weights, notebook 04's sweep).
/// </summary>
public sealed class NumberListTests
{
    [Fact]
    public void ListsParseInOrderWithSpacesAndEmptyPartsIgnored()
    {
        Assert.Equal(new[] { 100, 300, 200 }, NumberList.Ints(" 100, 300,,200 ", "sweep"));
        Assert.Equal(new[] { 0.1, 1.0, 20.0, -0.5 }, NumberList.Doubles("1e-1,1,20,-0.5", "--rule-weights"));
        Assert.Empty(NumberList.Ints(",", "sweep"));
    }

    [Theory]
    [InlineData("100-800", "sweep: '100-800' is not a whole number")]    // a range is a seed list's, not a size list's
    [InlineData("100,2.5", "sweep: '2.5' is not a whole number")]
    [InlineData("1_000", "sweep: '1_000' is not a whole number")]
    public void APartThatIsNotAWholeNumberIsNamedWithTheParameter(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => NumberList.Ints(text, "sweep")).Message);

    [Fact]
    public void APartThatIsNotANumberIsNamedWithTheParameter() =>
        Assert.Equal("--rule-weights: 'x' is not a number",
            Assert.Throws<ArgumentException>(() => NumberList.Doubles("0.1,x", "--rule-weights")).Message);
}
