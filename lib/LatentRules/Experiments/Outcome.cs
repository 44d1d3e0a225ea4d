using System.Text.Json;
using System.Text.Json.Serialization;

namespace LatentRules.Experiments;

/// <summary>
/// The one vocabulary of the experiments' verdicts, in code, JSON ("holds", "does not hold", "inconclusive") and the
/// notebooks. Only an experiment over seeds with its control gives one; a single run shows numbers and words.
/// </summary>
public enum Outcome
{
    Holds,          // the rule fixed in advance found the claim's evidence
    DoesNotHold,    // it found evidence against the claim
    Inconclusive,   // neither: too few seeds, or intervals too wide to say
}

public static class Outcomes
{
    /// <summary>"holds", "does not hold" or "inconclusive".</summary>
    public static string Text(this Outcome verdict) => verdict switch
    {
        Outcome.Holds => "holds",
        Outcome.DoesNotHold => "does not hold",
        _ => "inconclusive",
    };

    /// <summary>The verdict a text names; an error listing the three otherwise.</summary>
    public static Outcome Parse(string text) =>
        Enum.GetValues<Outcome>().Cast<Outcome?>().FirstOrDefault(v => v!.Value.Text() == text)
        ?? throw new FormatException($"'{text}' is not a verdict: holds, does not hold or inconclusive");
}

/// <summary>Writes and reads a <see cref="Outcome"/> as its text.</summary>
public sealed class OutcomeJsonConverter : JsonConverter<Outcome>
{
    public override Outcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try { return Outcomes.Parse(reader.GetString() ?? ""); }
        catch (FormatException e) { throw new JsonException(e.Message, e); }
    }

    public override void Write(Utf8JsonWriter writer, Outcome value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text());
}
