using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Analysis;

namespace LatentRules.Tables;

/// <summary>
/// The lab's tables are Microsoft.Data.Analysis DataFrames (filter, sort, group, join, save as CSV). This class
/// builds them from what the lab's code has at hand (records and rows), reads a numeric column back, and shows
/// them. Column types follow the values: whole numbers become Int64 columns, other numbers Double, true/false
/// Boolean, <see cref="Notebooks.Latex"/> a <see cref="LatexColumn"/>, anything else String; a null is a missing value.
/// </summary>
public static class Frames
{
    /// <summary>
    /// One column per public property of <typeparamref name="T"/> (anonymous types included), one row per record.
    /// </summary>
    public static DataFrame FromRecords<T>(IEnumerable<T> records)
    {
        var props = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var list = records.ToList();
        return FromRows(props.Select(p => p.Name).ToList(),
            list.Select(r => props.Select(p => p.GetValue(r)).ToArray()));
    }

    /// <summary>Columns by name, rows as values in column order.</summary>
    public static DataFrame FromRows(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"column '{duplicate.Key}' appears twice");
        var cells = columns.Select(_ => new List<object?>()).ToArray();
        int row = 0;
        foreach (var values in rows)
        {
            row++;
            if (values.Count != columns.Count)
                throw new ArgumentException($"row {row} has {values.Count} values but the table has {columns.Count} " +
                    $"columns ({string.Join(", ", columns)})");
            for (int c = 0; c < columns.Count; c++) cells[c].Add(values[c]);
        }
        return new DataFrame(columns.Select((name, c) => Column(name, cells[c])));
    }

    /// <summary>A column typed by its values (see the class summary).</summary>
    public static DataFrameColumn Column(string name, IReadOnlyList<object?> values)
    {
        var present = values.OfType<object>().ToList();
        if (present.Count > 0 && present.All(v => v is Notebooks.Latex))
            return new LatexColumn(name, values.Select(v => (v as Notebooks.Latex)?.Source));
        if (present.Count > 0 && present.All(IsWhole))
            return new Int64DataFrameColumn(name,
                values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture)));
        if (present.Count > 0 && present.All(IsNumber))
            return new DoubleDataFrameColumn(name,
                values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)));
        if (present.Count > 0 && present.All(v => v is bool))
            return new BooleanDataFrameColumn(name, values.Select(v => (bool?)v));
        return new StringDataFrameColumn(name, values.Select(v => v is null ? null : Cell(v)));
    }

    private static bool IsWhole(object v) => v is int or long or short or byte or uint or ushort or sbyte;
    private static bool IsNumber(object v) => IsWhole(v) || v is double or float or decimal;

    /// <summary>
    /// A numeric column as doubles (missing values as NaN); names the column and its type when it is not numeric.
    /// </summary>
    public static double[] Numbers(this DataFrame frame, string column)
    {
        var col = ColumnNamed(frame, column);
        if (!IsNumeric(col))
            throw new ArgumentException($"column '{column}' holds {col.DataType.Name} values, not numbers");
        var result = new double[col.Length];
        for (long i = 0; i < col.Length; i++)
            result[i] = col[i] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN;
        return result;
    }

    /// <summary>A column's values as strings (missing values as null).</summary>
    public static string?[] Strings(this DataFrame frame, string column)
    {
        var col = ColumnNamed(frame, column);
        var result = new string?[col.Length];
        for (long i = 0; i < col.Length; i++) result[i] = col[i] is { } v ? Cell(v) : null;
        return result;
    }

    /// <summary>Rows as name -> value dictionaries, in column order.</summary>
    public static IEnumerable<IReadOnlyDictionary<string, object?>> Records(this DataFrame frame)
    {
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            var row = new Dictionary<string, object?>();
            foreach (var col in frame.Columns) row[col.Name] = col[r];
            yield return row;
        }
    }

    /// <summary>A copy with a first column <paramref name="column"/> holding <paramref name="value"/> on every row
    /// (e.g. the task or run a table belongs to, before <see cref="Concat"/>).</summary>
    public static DataFrame Labelled(this DataFrame frame, string column, object value) =>
        FromRows(frame.Columns.Select(c => c.Name).Prepend(column).ToList(),
            frame.Records().Select(r => r.Values.Prepend(value).ToArray()));

    /// <summary>Rows of several frames with the same columns, one after another.</summary>
    public static DataFrame Concat(IReadOnlyList<DataFrame> frames)
    {
        if (frames.Count == 0) throw new ArgumentException("nothing to concatenate");
        var columns = frames[0].Columns.Select(c => c.Name).ToList();
        foreach (var (f, k) in frames.Select((f, k) => (f, k)))
            if (!f.Columns.Select(c => c.Name).SequenceEqual(columns))
                throw new ArgumentException($"frame {k + 1} has columns " +
                    $"({string.Join(", ", f.Columns.Select(c => c.Name))}), the first has " +
                    $"({string.Join(", ", columns)})");
        return FromRows(columns, frames.SelectMany(f => f.Records()).Select(r => r.Values.ToArray()));
    }

    internal static DataFrameColumn ColumnNamed(DataFrame frame, string name) =>
        frame.Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"no column '{name}'; the columns are " +
            $"{string.Join(", ", frame.Columns.Select(c => c.Name))}");

    internal static bool IsNumeric(DataFrameColumn col) =>
        col.DataType == typeof(double) || col.DataType == typeof(long) || col.DataType == typeof(int)
            || col.DataType == typeof(float);

    /// <summary>How a value prints in a table: numbers with 6 significant digits, invariant culture.</summary>
    public static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Select(Cell)),
        _ => v.ToString() ?? "",
    };
}
