using System.Text;

namespace LatentRules.Data.EntailmentBank;

/// <summary>One parsed CSV record and the (1-based) line on which it starts.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// An RFC 4180 reader: comma-separated cells, cells in double quotes may hold commas, newlines and doubled
/// quotes (""). Lines may end in LF or CRLF. Written here rather than taken from a package so that every
/// error can name the file and the line, and so that nothing is ever skipped silently.
/// </summary>
public static class CsvRecords
{
    public static List<CsvRecord> Parse(string text, string path)
    {
        var records = new List<CsvRecord>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        bool inQuotes = false, cellWasQuoted = false;
        int quoteLine = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i += 2; continue; }
                    inQuotes = false; i++;
                    // After a closing quote only a separator or the end of the record may follow.
                    if (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                        throw new InvalidDataException($"{path}:{line}: unexpected character '{text[i]}' after a " +
                            $"closing quote");
                    continue;
                }
                if (c == '\n') line++;
                cell.Append(c); i++;
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0 && !cellWasQuoted:
                    inQuotes = true; cellWasQuoted = true; quoteLine = line; i++;
                    break;
                case '"':
                    throw new InvalidDataException($"{path}:{line}: a quote inside an unquoted cell (quote the whole " +
                        $"cell and double the quote)");
                case ',':
                    cells.Add(cell.ToString()); cell.Clear(); cellWasQuoted = false; i++;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    i++;
                    break;
                case '\n':
                    cells.Add(cell.ToString()); cell.Clear(); cellWasQuoted = false;
                    records.Add(new CsvRecord(recordLine, cells.ToArray())); cells.Clear();
                    line++; recordLine = line; i++;
                    break;
                default:
                    cell.Append(c); i++;
                    break;
            }
        }
        if (inQuotes)
            throw new InvalidDataException($"{path}:{quoteLine}: unterminated quote (the quoted cell opened on this " +
                $"line never closes)");
        // The last record needs no final newline; a file ending in a newline has no empty record after it.
        if (cell.Length > 0 || cells.Count > 0 || cellWasQuoted)
        {
            cells.Add(cell.ToString());
            records.Add(new CsvRecord(recordLine, cells.ToArray()));
        }
        return records;
    }
}
