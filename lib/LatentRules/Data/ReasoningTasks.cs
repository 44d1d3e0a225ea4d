namespace LatentRules.Data;

/// <summary>Registry of the lab's tasks by name.</summary>
public static class ReasoningTasks
{
    private static readonly List<IReasoningTask> _all = new()
    {
        new Mathematics.MathTask(),
        new Syllogistic.SyllogisticTask(),
        new Explanatory.ExplanatoryTask(),
    };

    public static IReadOnlyList<IReasoningTask> All => _all;

    public static IReasoningTask Get(string name) =>
        _all.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException(
            $"unknown task '{name}'; known tasks: {string.Join(", ", _all.Select(t => t.Name))}");
}
