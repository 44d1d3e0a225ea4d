using System.Net;
using System.Security.Cryptography;
using LatentRules.Models.Hub;

namespace LatentRules.Tests.Hub;

/// <summary>The downloader against a local server that behaves like the Hub (Range requests, sha256 ETags).</summary>
public sealed class HubDownloaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-hub-").FullName;
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new();
    private readonly List<string> _ranges = new();
    private bool _corrupt;
    private readonly string _endpoint;

    public HubDownloaderTests()
    {
        var rng = new Random(5);
        var weights = new byte[3_000_000];
        rng.NextBytes(weights);
        _files["/org/tiny/resolve/main/model.safetensors"] = weights;
        _files["/org/tiny/resolve/main/config.json"] = "{\"model_type\": \"qwen2\"}"u8.ToArray();
        int port = 0;
        for (int attempt = 0; attempt < 20 && !_listener.IsListening; attempt++)
        {
            port = 20000 + Random.Shared.Next(20000);
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try { _listener.Start(); } catch (HttpListenerException) { }
        }
        _endpoint = $"http://127.0.0.1:{port}";
        _ = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            var path = ctx.Request.Url!.AbsolutePath;
            if (!_files.TryGetValue(path, out var body))
            {
                ctx.Response.StatusCode = 404; ctx.Response.Close(); continue;
            }
            if (path.EndsWith(".safetensors"))
                ctx.Response.Headers["X-Linked-Etag"] = "\"" +
                    Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant() + "\"";
            long start = 0;
            string? range = ctx.Request.Headers["Range"];
            lock (_ranges) _ranges.Add(range ?? "");
            if (range is not null && range.StartsWith("bytes=")) start = long.Parse(range[6..].TrimEnd('-'));
            var send = body[(int)start..].ToArray();
            if (_corrupt) send[^1] ^= 0xFF;
            if (start > 0)
            {
                ctx.Response.StatusCode = 206;
                ctx.Response.Headers["Content-Range"] = $"bytes {start}-{body.Length - 1}/{body.Length}";
            }
            ctx.Response.ContentLength64 = send.Length;
            await ctx.Response.OutputStream.WriteAsync(send);
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void DownloadsAndVerifiesEveryFile()
    {
        var log = new StringWriter();
        new HubDownloader(_endpoint).Download("org/tiny", _dir, new[] { "config.json", "model.safetensors" }, log: log);
        Assert.Equal(_files["/org/tiny/resolve/main/model.safetensors"],
            File.ReadAllBytes(Path.Combine(_dir, "model.safetensors")));
        Assert.Contains("model.safetensors: 3,000,000 bytes, sha256 verified", log.ToString());
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
        // A second call finds the files present and fetches nothing.
        int requests = _ranges.Count;
        new HubDownloader(_endpoint).Download("org/tiny", _dir, new[] { "config.json", "model.safetensors" });
        Assert.Equal(requests, _ranges.Count);
    }

    [Fact]
    public void ResumesAPartialFileWithARangeRequest()
    {
        var full = _files["/org/tiny/resolve/main/model.safetensors"];
        File.WriteAllBytes(Path.Combine(_dir, "model.safetensors.partial"), full[..1_000_000]);
        new HubDownloader(_endpoint).Download("org/tiny", _dir, new[] { "model.safetensors" });
        Assert.Contains("bytes=1000000-", _ranges);
        Assert.Equal(full, File.ReadAllBytes(Path.Combine(_dir, "model.safetensors")));
    }

    [Fact]
    public void AChecksumMismatchLeavesNoFileBehind()
    {
        _corrupt = true;
        var e = Assert.Throws<InvalidDataException>(() =>
            new HubDownloader(_endpoint).Download("org/tiny", _dir, new[] { "model.safetensors" }));
        Assert.Contains("does not match the Hub's", e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void MissingFilesAndOfflineUseFailClearlyAndAtOnce()
    {
        Assert.Contains("not found (404)",
            Assert.Throws<FileNotFoundException>(() =>
                new HubDownloader(_endpoint).Download("org/tiny", _dir, new[] { "absent.json" })).Message);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var offline = Assert.Throws<IOException>(() =>
            new HubDownloader("http://127.0.0.1:1", TimeSpan.FromSeconds(2)).Download("Qwen/Qwen2.5-0.5B", _dir));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Contains("Place the files of Qwen/Qwen2.5-0.5B by hand", offline.Message);
        Assert.Contains("model.safetensors", offline.Message);
        Assert.Equal(Path.Combine("data", "downloads", "Qwen--Qwen2.5-0.5B"),
            HubDownloader.DefaultFolder("Qwen/Qwen2.5-0.5B"));
    }
}
