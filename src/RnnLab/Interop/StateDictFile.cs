using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;

namespace RnnLab.Interop;

/// <summary>
/// Reads the weights file of an export folder (model.pt or model.safetensors) into tensors by name,
/// as data only: headers are bounds-checked before anything is allocated, a pickle's globals are
/// never imported or called, and every way a file can be malformed is one message in the user's terms.
/// </summary>
internal static class StateDictFile
{
    /// <summary>The tensors by name, for the caller to dispose; a malformed file is an RnnLabException.</summary>
    public static Dictionary<string, Tensor> Read(string path, ExportFormat format)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw new RnnLabException($"{path} is empty");
        }
        try
        {
            using var stream = File.OpenRead(path);
            if (format == ExportFormat.Safetensors)
            {
                CheckSafetensorsHeader(stream);
                return Safetensors.LoadStateDict(stream);
            }
            CheckTorchZip(stream);
            var table = PyTorchUnpickler.UnpickleStateDict(stream);
            var tensors = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in table)
            {
                tensors[(string)entry.Key] = entry.Value as Tensor
                    ?? throw new InvalidDataException($"'{entry.Key}' is not a tensor");
            }
            return tensors;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or RnnLabException))
        {
            throw new RnnLabException($"{path} is not {Kind(format)}: {Reason(e)}");
        }
    }

    // the reader trusts the header's lengths and shapes; a damaged header must not make it allocate
    // gigabytes, so every tensor's bytes are checked to lie inside the file first
    private static void CheckSafetensorsHeader(FileStream stream)
    {
        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BitConverter.ToUInt64(prefix);
        var dataLength = stream.Length - 8 - (long)Math.Min(headerLength, (ulong)stream.Length);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > 100_000_000)
        {
            throw new InvalidDataException($"its header claims {headerLength} bytes; the file has {stream.Length}");
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        using var index = JsonDocument.Parse(header);
        foreach (var tensor in index.RootElement.EnumerateObject().Where(t => t.Name != "__metadata__"))
        {
            if (tensor.Value.ValueKind != JsonValueKind.Object
                || !tensor.Value.TryGetProperty("data_offsets", out var offsetList)
                || !tensor.Value.TryGetProperty("shape", out var shape) || !tensor.Value.TryGetProperty("dtype", out _))
            {
                throw new InvalidDataException($"tensor '{tensor.Name}' lacks dtype, shape or data_offsets");
            }
            var offsets = offsetList.EnumerateArray().Select(o => o.GetInt64()).ToArray();
            var elements = shape.EnumerateArray()
                .Aggregate(1L, (n, d) => d.GetInt64() is var size and >= 0 ? checked(n * size) : -1);
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength
                || elements < 0 || elements > offsets[1] - offsets[0])
            {
                throw new InvalidDataException($"tensor '{tensor.Name}' lies outside the file or has a bad shape");
            }
        }
        stream.Position = 0;
    }

    // torch.save's zip format: an archive with one data.pkl (the pickle) and data/N (the storages)
    private static void CheckTorchZip(FileStream stream)
    {
        var signature = new byte[4];
        if (stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false) < 4
            || signature[0] != 'P' || signature[1] != 'K')
        {
            throw new InvalidDataException("it is not a zip archive: a legacy torch.save file " +
                "(_use_new_zipfile_serialization=False) or not PyTorch at all; save it again with PyTorch 1.6 " +
                "or later");
        }
        stream.Position = 0;
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read,
                   leaveOpen: true))
        {
            if (!zip.Entries.Any(e => e.Name == "data.pkl"))
            {
                throw new InvalidDataException("it is a zip archive without data.pkl, so torch.save did not write it");
            }
        }
        stream.Position = 0;
    }

    private static string Kind(ExportFormat format) => format == ExportFormat.Pytorch
        ? "a PyTorch state dict (torch.save of model.state_dict())"
        : "a safetensors file";

    // the pickle and safetensors readers signal a malformed file with many exception types (cast,
    // key, format, not-implemented, native errors); the reason is said in the user's terms, and
    // libtorch's C++ backtrace (every line after the first) is dropped
    private static string Reason(Exception e)
    {
        var first = e.Message.Split('\n')[0].Trim();
        if (e is Razorvine.Pickle.PickleException)
        {
            // the reader's own text goes on to advise its programmers; its first sentence says what
            var what = first.Split(". ")[0].TrimEnd('.');
            return $"its pickle is not a plain dictionary of tensors ({what}); nothing in it was built or run. " +
                "Save model.state_dict() alone";
        }
        if (e is EndOfStreamException)
        {
            return "it is truncated: a tensor's data is shorter than its shape says";
        }
        if (e is InvalidCastException)
        {
            return "it holds something other than a dictionary of tensors; save model.state_dict() alone";
        }
        if (e is InvalidDataException)
        {
            return first;
        }
        if (first.Contains("setStorage", StringComparison.Ordinal)
            || first.Contains("non-contiguous", StringComparison.Ordinal))
        {
            // TODO: read views of a shared storage (slices, transposes, cuDNN's flat RNN weights)
            return "a tensor in it is a view of a larger storage (a slice or transpose, or GPU weights); save " +
                "{k: v.cpu().contiguous().clone() for k, v in model.state_dict().items()} instead " +
                $"({first})";
        }
        return first;
    }
}
