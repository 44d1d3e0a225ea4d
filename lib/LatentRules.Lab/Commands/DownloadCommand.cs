using LatentRules.Models.Hub;

namespace LatentRules.Lab.Commands;

/// <summary>`download [--repo Qwen/Qwen2.5-0.5B] [--out DIR] [--endpoint URL]`: a model folder from the Hugging Face
/// Hub (BERT files for a repository named "...bert...", e.g. google-bert/bert-base-cased, else Qwen2 files).</summary>
public sealed class DownloadCommand : ILabCommand
{
    public string Name => "download";
    public string Summary =>
        "fetch a model folder from the Hub: download [--repo Qwen/Qwen2.5-0.5B|google-bert/bert-base-cased] [--out " +
        "DIR] [--endpoint URL]";

    public int Run(ParsedArgs args)
    {
        string repo = args.Option("repo") ?? "Qwen/Qwen2.5-0.5B";
        var downloader = new HubDownloader(args.Option("endpoint") ?? "https://huggingface.co");
        string folder = downloader.Download(repo, args.Option("out"), log: Console.Out);
        Console.WriteLine($"{repo} is in {Path.GetFullPath(folder)}");
        return 0;
    }
}
