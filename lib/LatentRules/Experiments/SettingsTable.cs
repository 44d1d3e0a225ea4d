using System.Collections;
using System.Globalization;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tables;
using LatentRules.Training;
using Microsoft.Data.Analysis;

namespace LatentRules.Experiments;

/// <summary>
/// The settings a notebook or command runs with beside its preset's: one row per setting (the model and the training
/// recipe opened up, e.g. "vae.latent_size", "recipe.beta"), its value, the preset's value and whether it was changed,
/// so a reader sees what the preset set and what was set by hand.
/// </summary>
public static class SettingsTable
{
    /// <summary>One row per setting of <paramref name="used"/> beside <paramref name="preset"/>.</summary>
    public static DataFrame Compare<T>(T preset, T used) where T : class
    {
        var mine = Flatten(used, "");
        var theirs = Flatten(preset, "").ToDictionary(x => x.name, x => x.value);
        return Frames.FromRows(new[] { "setting", "value", "preset", "changed" }, mine.Select(x =>
            (IReadOnlyList<object?>)new object?[]
            {
                x.name, x.value, theirs[x.name], x.value != theirs[x.name] ? "set here" : "",
            }).ToList());
    }

    /// <summary>
    /// What <paramref name="changed"/> sets differently from <paramref name="from"/>, as "name=value" pairs joined by
    /// "; " (e.g. "recipe.beta=1; vae.injection=Memory"), or "as set above" when nothing differs.
    /// </summary>
    public static string Changes<T>(T from, T changed) where T : class
    {
        var before = Flatten(from, "").ToDictionary(x => x.name, x => x.value);
        var different = Flatten(changed, "").Where(x => before[x.name] != x.value).Select(x => $"{x.name}={x.value}")
            .ToList();
        return different.Count == 0 ? "as set above" : string.Join("; ", different);
    }

    // Settings as (snake_case name, text), records of the model and recipe opened one level.
    private static List<(string name, string value)> Flatten(object settings, string prefix)
    {
        var rows = new List<(string, string)>();
        foreach (var p in settings.GetType().GetProperties())
        {
            if (p.GetIndexParameters().Length > 0 || p.GetCustomAttributes(typeof(
                    System.Text.Json.Serialization.JsonIgnoreAttribute), true).Length > 0) continue;
            object? value = p.GetValue(settings);
            string name = prefix + SnakeCase(p.Name);
            if (value is VaeConfig or TrainingRecipe) rows.AddRange(Flatten(value, name + "."));
            else rows.Add((name, Text(value)));
        }
        return rows;
    }

    private static string Text(object? value) => value switch
    {
        null => "none",
        string s => s,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        BertConfig b => $"BERT: {b.NumHiddenLayers} layers, hidden {b.HiddenSize}, {b.NumAttentionHeads} heads",
        Qwen2Config q => $"Qwen2: {q.NumHiddenLayers} layers, hidden {q.HiddenSize}, {q.NumAttentionHeads} heads " +
                         $"({q.NumKeyValueHeads} K/V)",
        PretrainedWeights w => $"encoder {w.Encoder ?? "random"}, decoder {w.Decoder ?? "random"}",
        IEnumerable list => string.Join(",", list.Cast<object>().Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string SnakeCase(string name) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
