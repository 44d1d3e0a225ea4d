namespace LatentRules.Data.Syllogistic;

/// <summary>
/// The four categorical forms: All S are P (A), No S are P (E), Some S are P (I), Some S are not P (O).
/// </summary>
public enum Quantifier { A, E, I, O }

/// <summary>One premise or conclusion in logical form.</summary>
public abstract record Statement;

/// <summary>A categorical statement about two classes, each a formula over terms.</summary>
public sealed record Categorical(Quantifier Quantifier, Formula Subject, Formula Predicate) : Statement
{
    public override string ToString() => $"{Quantifier}({Subject}, {Predicate})";
}

/// <summary>A statement about one named individual: "Rex is a dog", "if Rex is a dog, then Rex is a mammal".</summary>
public sealed record Clause(string Individual, Formula Formula) : Statement
{
    public override string ToString() => $"{Individual.Replace(' ', '_')}: {Formula}";
}
