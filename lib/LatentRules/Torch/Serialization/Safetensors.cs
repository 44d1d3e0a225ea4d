using System.Text;
using System.Text.Json;

using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Serialization;

/// <summary>Writes and reads whole safetensors files (Hugging Face's format: JSON header + raw bytes).</summary>
public static class Safetensors
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; stored as they are typed) with optional metadata.
    /// Atomic: written to a temporary file in the same folder, then renamed over <paramref name="path"/>.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var name in names)
        {
            if (name == "__metadata__") throw new ArgumentException("a tensor cannot be named __metadata__");
            var t = tensors[name];
            long bytes = t.numel() * t.element_size();
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = SafetensorsDTypes.ToCode(t.dtype),
                ["shape"] = t.shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padded = (json.Length + 7) / 8 * 8; // data section starts 8-byte aligned
        var headerBytes = new byte[padded];
        json.CopyTo(headerBytes, 0);
        for (int k = json.Length; k < padded; k++) headerBytes[k] = (byte)' ';

        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)padded));
            stream.Write(headerBytes);
            foreach (var name in names) WriteData(stream, tensors[name]);
        });
    }

    private static unsafe void WriteData(Stream stream, Tensor t)
    {
        using var cpu = t.detach().cpu();
        using var contiguous = cpu.contiguous();
        long bytes = contiguous.numel() * contiguous.element_size();
        byte* p = (byte*)(bytes == 0 ? IntPtr.Zero : contiguous.DataPointer());
        for (long done = 0; done < bytes;)
        {
            int chunk = (int)Math.Min(bytes - done, 1 << 30);
            stream.Write(new ReadOnlySpan<byte>(p + done, chunk));
            done += chunk;
        }
    }

    /// <summary>Reads every tensor of a file (CPU, stored dtype). For large files prefer SafetensorsFile.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var name in file.Names) result[name] = file.Read(name);
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }
}

/// <summary>Writes files atomically: a temporary file beside the target, then a rename over it.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
