using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// The official JS tokenizer (npm @huggingface/tokenizers 0.2.0, installed with node by environment/setup.sh),
/// run through tokenizer_reference.cjs: the reference for `bench tokenizer` and for the parity tests.
/// </summary>
public static class JsTokenizer
{
    public sealed record Result(
        [property: JsonPropertyName("ids")] int[][] Ids,
        [property: JsonPropertyName("ms")] double FirstPassMs,
        [property: JsonPropertyName("ms2")] double SecondPassMs);

    /// <summary>Ids of every line (no tokens added) and the time of two passes; a clear error when node or the npm
    /// assets are missing.</summary>
    public static Result Encode(string repoRoot, string tokenizerJson, IReadOnlyList<string> lines)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Benchmarks", "tokenizer_reference.cjs");
        string module = Path.Combine(repoRoot, "environment", "node_modules", "@huggingface", "tokenizers", "dist",
            "tokenizers.cjs");
        if (!File.Exists(module))
            throw new InvalidOperationException($"{module} is missing: environment/setup.sh installs the npm assets");
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true,
            RedirectStandardError = true, UseShellExecute = false
        };
        foreach (var a in new[] { script, repoRoot, tokenizerJson }) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (Win32Exception)
        {
            throw new InvalidOperationException("node not found: environment/setup.sh installs nodejs");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardInput.Write(JsonSerializer.Serialize(lines));
            p.StandardInput.Close();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException("the JS reference tokenizer failed (exit " +
                    $"{p.ExitCode}): {stderr.Result}");
            var result = JsonSerializer.Deserialize<Result>(stdout.Result)
                ?? throw new InvalidOperationException("the JS reference printed nothing");
            if (result.Ids.Length != lines.Count)
                throw new InvalidOperationException($"the JS reference returned {result.Ids.Length} rows " +
                    $"for {lines.Count} lines");
            return result;
        }
    }
}
