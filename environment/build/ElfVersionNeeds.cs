#nullable enable
// Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK), so the dynamic loader
// accepts a system library that lacks that version. Used by the build (Directory.Build.targets) on TorchSharp's
// libLibTorchSharp.so: it asks for GLIBCXX_3.4.32 (GCC 13's libstdc++) only for `std::ios_base_library_init`,
// a symbol GCC 13 emits to initialise iostreams and nothing in the library relocates against; Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30. environment/README.md ("libstdc++ and TorchSharp") explains the choice.
// Compiled twice: by MSBuild's RoslynCodeTaskFactory (with the task class) and into the tests (without it,
// NO_MSBUILD_TASK defined), so the test exercises the very code the build runs.
using System;
using System.IO;
using System.Text;

namespace LatentRules.Build;

public static class ElfVersionNeeds
{
    private const uint SHT_GNU_verneed = 0x6ffffffe;
    private const ushort VER_FLG_WEAK = 0x2;

    /// <summary>What <see cref="MarkWeak"/> found.</summary>
    public enum Outcome { Patched, AlreadyWeak, NotRequired }

    /// <summary>
    /// Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/> in <paramref name="path"/>'s
    /// .gnu.version_r section, in place. Idempotent. Throws InvalidDataException naming the file when it is not
    /// a little-endian ELF64 file or its version section is malformed.
    /// </summary>
    public static Outcome MarkWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        bool changed = false, found = false;
        foreach (long flagsOffset in VernauxFlags(elf, path, version))
        {
            found = true;
            ushort flags = BitConverter.ToUInt16(elf, (int)flagsOffset);
            if ((flags & VER_FLG_WEAK) != 0) continue;
            BitConverter.GetBytes((ushort)(flags | VER_FLG_WEAK)).CopyTo(elf, (int)flagsOffset);
            changed = true;
        }
        if (!found) return Outcome.NotRequired;
        if (!changed) return Outcome.AlreadyWeak;
        // A new file rather than a write through: the copy in the output folder may be a link to the NuGet cache.
        File.Delete(path);
        File.WriteAllBytes(path, elf);
        return Outcome.Patched;
    }

    /// <summary>
    /// True when <paramref name="path"/>'s .gnu.version_r requires <paramref name="version"/> with the weak flag
    /// set.
    /// </summary>
    public static bool? IsWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        bool? weak = null;
        foreach (long offset in VernauxFlags(elf, path, version))
            weak = (weak ?? true) && (BitConverter.ToUInt16(elf, (int)offset) & VER_FLG_WEAK) != 0;
        return weak;
    }

    /// <summary>
    /// True when a libstdc++ shared object defines <paramref name="version"/> (its name appears as a string in it).
    /// </summary>
    public static bool Defines(string library, string version)
    {
        byte[] bytes = File.ReadAllBytes(library);
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return IndexOf(bytes, needle) >= 0;
    }

    /// <summary>The system's libstdc++.so.6, or null when none is at the usual places.</summary>
    public static string? SystemLibstdcxx()
    {
        foreach (string dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64",
            "/usr/lib" })
        {
            string candidate = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    // File offsets of vna_flags of every Vernaux entry whose name is `version`.
    private static System.Collections.Generic.IEnumerable<long> VernauxFlags(byte[] elf, string path,
        string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path}: not a little-endian 64-bit ELF file");
        long shoff = U64(elf, 0x28, path);
        int shentsize = U16(elf, 0x3A, path), shnum = U16(elf, 0x3C, path);
        var results = new System.Collections.Generic.List<long>();
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (U32(elf, sh + 4, path) != SHT_GNU_verneed) continue;
            long offset = U64(elf, sh + 0x18, path);
            uint link = U32(elf, sh + 0x28, path);
            long strtab = U64(elf, shoff + (long)link * shentsize + 0x18, path);
            long need = offset;
            while (true)
            {
                int auxCount = U16(elf, need + 2, path);
                long aux = need + U32(elf, need + 8, path);
                for (int a = 0; a < auxCount; a++)
                {
                    uint nameOffset = U32(elf, aux + 8, path);
                    if (CString(elf, strtab + nameOffset, path) == version) results.Add(aux + 4);
                    uint next = U32(elf, aux + 12, path);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextNeed = U32(elf, need + 12, path);
                if (nextNeed == 0) break;
                need += nextNeed;
            }
        }
        return results;
    }

    private static void Check(byte[] elf, long at, int size, string path)
    {
        if (at < 0 || at + size > elf.Length)
            throw new InvalidDataException($"{path}: truncated or malformed ELF (offset {at} outside the " +
                $"{elf.Length}-byte file)");
    }
    private static ushort U16(byte[] b, long at, string p)
    {
        Check(b, at, 2, p);
        return BitConverter.ToUInt16(b, (int)at);
    }
    private static uint U32(byte[] b, long at, string p)
    {
        Check(b, at, 4, p);
        return BitConverter.ToUInt32(b, (int)at);
    }
    private static long U64(byte[] b, long at, string p)
    {
        Check(b, at, 8, p);
        return (long)BitConverter.ToUInt64(b, (int)at);
    }

    private static string CString(byte[] b, long at, string p)
    {
        Check(b, at, 1, p);
        long end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack[i] != needle[0]) continue;
            int k = 1;
            while (k < needle.Length && haystack[i + k] == needle[k]) k++;
            if (k == needle.Length) return i;
        }
        return -1;
    }
}

#if !NO_MSBUILD_TASK
/// <summary>
/// MSBuild task: weakens <see cref="Version"/> in each of <see cref="Libraries"/> unless the system libstdc++
/// defines it.
/// </summary>
public sealed class WeakenVersionNeed : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } =
        Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        string? system = ElfVersionNeeds.SystemLibstdcxx();
        if (system != null && ElfVersionNeeds.Defines(system, Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                $"{system} defines {Version}: TorchSharp's native library loads as shipped");
            return true;
        }
        foreach (var item in Libraries)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            var outcome = ElfVersionNeeds.MarkWeak(path, Version);
            if (outcome == ElfVersionNeeds.Outcome.Patched)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"{path}: marked {Version} weak (the system libstdc++ {system ?? "(not found)"} stops below " +
                    $"it; environment/README.md, 'libstdc++ and TorchSharp')");
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
