using Microsoft.Data.Analysis;

namespace LatentRules.Tables;

/// <summary>
/// A string column whose values are LaTeX (derivation premises and conclusions, generated answers): the values
/// are the sources, so filtering, CSV and JSONL see plain text, and <see cref="FrameView"/> shows them as formulas.
/// <see cref="Frames.FromRecords"/> makes one from a property of type <see cref="Notebooks.Latex"/>.
/// </summary>
public sealed class LatexColumn(string name, IEnumerable<string?> sources) : StringDataFrameColumn(name, sources);
