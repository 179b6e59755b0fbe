// An MSBuild inline task (compiled by RoslynCodeTaskFactory, not part of any project).
// Marks one symbol-version requirement of an ELF64 little-endian shared library as weak, when the
// system libstdc++ does not define that version. See LibTorchSharpGlibcxx.targets for the why.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkVersionNeedWeak : Task
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] LibstdcxxCandidates =
    {
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return true;
        }
        var system = Array.Find(LibstdcxxCandidates, File.Exists);
        if (system != null && DefinesVersion(File.ReadAllBytes(system), VersionName))
        {
            Log.LogMessage(MessageImportance.Low, $"{system} defines {VersionName}; nothing to patch.");
            return true;
        }
        foreach (var item in Libraries)
        {
            var path = item.GetMetadata("FullPath");
            var bytes = File.ReadAllBytes(path);
            var changed = MarkWeak(bytes, VersionName);
            if (changed < 0)
            {
                Log.LogMessage(MessageImportance.Low, $"{path}: no {VersionName} need; left alone.");
                continue;
            }
            if (changed == 0)
            {
                continue;
            }

            // rewrite through a new file so a hard link into the NuGet cache is never edited
            var temp = path + ".patching";
            File.WriteAllBytes(temp, bytes);
            File.Delete(path);
            File.Move(temp, path);
            Log.LogMessage(MessageImportance.Normal, $"Marked {VersionName} weak in {path}.");
        }
        return true;
    }

    // Returns -1 when the need is absent, 0 when already weak, 1 when it was marked now.
    private static int MarkWeak(byte[] elf, string version)
    {
        var result = -1;
        foreach (var (offset, count, strings) in Sections(elf, ShtGnuVerneed))
        {
            var need = offset;
            for (var i = 0; i < count; i++)
            {
                var aux = need + (int)U32(elf, need + 8);
                for (var j = 0; j < U16(elf, need + 2); j++)
                {
                    if (CString(elf, strings + (int)U32(elf, aux + 8)) == version)
                    {
                        var flags = U16(elf, aux + 4);
                        result = Math.Max(result, (flags & VerFlgWeak) != 0 ? 0 : 1);
                        WriteU16(elf, aux + 4, (ushort)(flags | VerFlgWeak));
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                need += (int)U32(elf, need + 12);
            }
        }
        return result;
    }

    private static bool DefinesVersion(byte[] elf, string version)
    {
        foreach (var (offset, count, strings) in Sections(elf, ShtGnuVerdef))
        {
            var def = offset;
            for (var i = 0; i < count; i++)
            {
                var aux = def + (int)U32(elf, def + 12);
                if (CString(elf, strings + (int)U32(elf, aux)) == version)
                {
                    return true;
                }
                def += (int)U32(elf, def + 16);
            }
        }
        return false;
    }

    // Yields (file offset, entry count from sh_info, file offset of the linked string table).
    private static System.Collections.Generic.IEnumerable<(int, int, int)> Sections(byte[] elf, uint type)
    {
        var isElf64Le = elf.Length > 64 && elf[0] == 0x7f && elf[1] == 'E' && elf[2] == 'L'
            && elf[3] == 'F' && elf[4] == 2 && elf[5] == 1;
        if (!isElf64Le)
        {
            yield break;
        }
        var shoff = (int)U64(elf, 0x28);
        var shentsize = U16(elf, 0x3A);
        var shnum = U16(elf, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var header = shoff + i * shentsize;
            if (U32(elf, header + 4) != type)
            {
                continue;
            }
            var link = (int)U32(elf, header + 0x28);
            var strings = (int)U64(elf, shoff + link * shentsize + 0x18);
            yield return ((int)U64(elf, header + 0x18), (int)U32(elf, header + 0x2C), strings);
        }
    }

    private static ushort U16(byte[] b, int at) => (ushort)(b[at] | b[at + 1] << 8);

    private static uint U32(byte[] b, int at) => (uint)(U16(b, at) | U16(b, at + 2) << 16);

    private static ulong U64(byte[] b, int at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

    private static void WriteU16(byte[] b, int at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }

    private static string CString(byte[] b, int at)
    {
        var end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
