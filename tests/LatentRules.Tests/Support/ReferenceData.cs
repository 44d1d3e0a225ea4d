namespace LatentRules.Tests.Support;

/// <summary>
/// The study group's published files (../shared/reference-data beside the repository). CI has them; a clone on its
/// own does not, and then the tests that compare against them are skipped with a message naming the folder.
/// </summary>
public static class ReferenceData
{
    public static string Folder => System.IO.Path.Combine(RepoPaths.Shared, "reference-data");

    public static bool Present => Directory.Exists(Folder);

    public static string Path(string relative) => System.IO.Path.Combine(Folder, relative);

    public static string? SkipReason => Present ? null
        : $"the published reference files are not at {Folder} (a clone on its own: CI keeps ../shared " +
            "beside the repository)";
}

/// <summary>A fact that needs the published reference files; skipped with a message where they are absent.</summary>
public sealed class ReferenceDataFactAttribute : FactAttribute
{
    public ReferenceDataFactAttribute() => Skip = ReferenceData.SkipReason;
}

/// <summary>A theory that needs the published reference files; skipped with a message where they are absent.</summary>
public sealed class ReferenceDataTheoryAttribute : TheoryAttribute
{
    public ReferenceDataTheoryAttribute() => Skip = ReferenceData.SkipReason;
}
