using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using LatentRules.Progress;

namespace LatentRules.Models.Hub;

/// <summary>
/// Fetches a model folder from the Hugging Face Hub (or a mirror) where there is internet: one file at a time
/// into a cache folder, resuming a `.partial` file with an HTTP Range request, checking the size and, for files
/// the Hub identifies by sha256 (its ETag for large files), the checksum, then renaming into place. Offline it
/// fails at once with a message that says how to place the files by hand.
/// </summary>
public sealed class HubDownloader(string endpoint = "https://huggingface.co", TimeSpan? connectTimeout = null)
{
    public static readonly string[] QwenFiles =
        { "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors" };
    public static readonly string[] BertFiles =
        { "config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors" };

    /// <summary>
    /// The files a model folder needs: BERT's for a repository whose name has "bert" in it, else Qwen's.
    /// </summary>
    public static string[] FilesFor(string repoId) =>
        repoId.Contains("bert", StringComparison.OrdinalIgnoreCase) ? BertFiles : QwenFiles;

    private readonly HttpClient _http =
        new(new SocketsHttpHandler { ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Where a repository's files go by default: &lt;root&gt;/&lt;owner&gt;--&lt;name&gt;, root data/downloads under
    /// the current folder.
    /// </summary>
    public static string DefaultFolder(string repoId, string root = "data/downloads") =>
        Path.Combine(root, repoId.Replace("/", "--", StringComparison.Ordinal));

    /// <summary>Text telling a user how to get the files without this downloader.</summary>
    public static string HowToDownload(string repoId, string folder, IEnumerable<string> files) =>
        $"Place the files of {repoId} by hand: download {string.Join(", ", files)} from " +
        $"https://huggingface.co/{repoId}/tree/main " +
        $"(or run `huggingface-cli download {repoId} --local-dir {folder}` on a machine with internet) into " +
        $"{Path.GetFullPath(folder)}.";

    /// <summary>Downloads the files (skipping complete ones) and returns the folder.</summary>
    public string Download(string repoId, string? folder = null, IReadOnlyList<string>? files = null,
        string revision = "main", TextWriter? log = null)
    {
        folder ??= DefaultFolder(repoId);
        files ??= FilesFor(repoId);
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            string target = Path.Combine(folder, file);
            if (File.Exists(target)) { log?.WriteLine($"{file}: present"); continue; }
            string url = $"{endpoint.TrimEnd('/')}/{repoId}/resolve/{revision}/{file}";
            try
            {
                Fetch(url, target, file, log);
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                throw new IOException($"cannot reach {endpoint} ({e.Message}). {HowToDownload(repoId, folder, files)}",
                    e);
            }
            catch (TaskCanceledException e)
            {
                throw new IOException($"timed out reaching {endpoint}. {HowToDownload(repoId, folder, files)}", e);
            }
        }
        return folder;
    }

    private void Fetch(string url, string target, string name, TextWriter? log)
    {
        string partial = target + ".partial";
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound) throw new FileNotFoundException($"{url}: not found (404)");
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);
            Fetch(url, target, name, log);
            return;
        }
        if (!response.IsSuccessStatusCode)
            throw new IOException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
        if (!resumed) have = 0;                                        // the server sent the whole file
        long? total = resumed ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
        string? sha = Sha256Etag(response);

        using (var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write))
        using (var input = response.Content.ReadAsStream())
        using (var progress = new ProgressReporter(total ?? 0,
            $"{name}{(resumed ? $" (resuming at {have:N0} bytes)" : "")}", log ?? TextWriter.Null))
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                progress.Step(read);
            }
        }
        long size = new FileInfo(partial).Length;
        if (total is long expected && size != expected)
            throw new IOException($"{name}: received {size:N0} bytes but the server announced {expected:N0}; run " +
                $"again to resume");
        if (sha is not null)
        {
            using var stream = File.OpenRead(partial);
            string actual = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
            if (actual != sha)
            {
                File.Delete(partial);
                throw new InvalidDataException($"{name}: sha256 {actual} does not match the Hub's {sha}; the partial " +
                    $"file was removed, run again");
            }
        }
        File.Move(partial, target, overwrite: true);
        log?.WriteLine($"{name}: {size:N0} bytes{(sha is null ? "" : ", sha256 verified")}");
    }

    // The Hub names large (LFS) files by their sha256 in X-Linked-Etag or ETag.
    private static string? Sha256Etag(HttpResponseMessage response)
    {
        string? raw = response.Headers.TryGetValues("X-Linked-Etag", out var linked) ? linked.FirstOrDefault()
            : response.Headers.ETag?.Tag;
        string? tag = raw?.Trim().TrimStart('W', '/').Trim('"');
        return tag is { Length: 64 } && tag.All(Uri.IsHexDigit) ? tag.ToLowerInvariant() : null;
    }
}
