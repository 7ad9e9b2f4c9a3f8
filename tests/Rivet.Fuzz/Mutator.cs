using System;
using System.Collections.Generic;

namespace Rivet.Fuzz;

/// <summary>
/// Deterministic byte-level mutations in the spirit of AFL's havoc stage: bit flips, interesting values, length
/// fields grown or shrunk, insertions, deletions, repeats and splices with other corpus entries. The same seed gives
/// the same inputs, so a smoke run is reproducible.
/// </summary>
internal sealed class Mutator(int seed, int maxLength = 64 * 1024)
{
    private static readonly byte[] s_interesting8 = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x18, 0x19, 0x1A, 0x1B, 0x1F, 0x3F, 0x5F, 0x7B, 0x9F, 0xBF, 0xF6, 0xF7, 0xFB, (byte)'"', (byte)'[', (byte)'{', (byte)',', (byte)'\\'];
    private static readonly byte[][] s_tokens =
    [
        "\"args\":"u8.ToArray(), "[\"$BigInt\",\"1\"]"u8.ToArray(), "[\"$Uint8Array\",\"AA==\"]"u8.ToArray(), "null"u8.ToArray(),
        "{\"body\":{\"tag\":\"ActionRequest\",\"val\":{"u8.ToArray(), "\\ud800"u8.ToArray(), "1e999"u8.ToArray(), "-0"u8.ToArray(),
        [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        [0x9F, 0x9F, 0x9F, 0x9F], [0xC2, 0x41], [0xF9, 0x7C, 0x00], [0x04, 0x00], [0x08, 0x00], [0xED, 0xA0, 0x80],
    ];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var rounds = 1 << _random.Next(0, 4);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data, corpus);
        }
        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }
        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        switch (_random.Next(0, data.Count == 0 ? 3 : 11))
        {
            case 0:
                Insert(data, s_tokens[_random.Next(s_tokens.Length)]);
                break;
            case 1:
                Insert(data, [(byte)_random.Next(256)]);
                break;
            case 2:
                var other = corpus[_random.Next(corpus.Count)];
                if (other.Length > 0)
                {
                    var start = _random.Next(other.Length);
                    Insert(data, other.AsSpan(start, _random.Next(1, other.Length - start + 1)).ToArray());
                }
                break;
            case 3:
            case 4:
                var bit = _random.Next(data.Count * 8);
                data[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 5:
                data[_random.Next(data.Count)] = s_interesting8[_random.Next(s_interesting8.Length)];
                break;
            case 6:
                var at = _random.Next(data.Count);
                data[at] = unchecked((byte)(data[at] + _random.Next(-16, 17)));
                break;
            case 7:
                var from = _random.Next(data.Count);
                data.RemoveRange(from, _random.Next(1, Math.Min(data.Count - from, 16) + 1));
                break;
            case 8:
                // Repeat a block: deep nesting, long strings, many entries.
                var begin = _random.Next(data.Count);
                var block = data.GetRange(begin, _random.Next(1, Math.Min(data.Count - begin, 32) + 1)).ToArray();
                var times = 1 << _random.Next(1, 8);
                for (var i = 0; i < times && data.Count < maxLength; i++)
                {
                    data.InsertRange(begin, block);
                }
                break;
            case 9:
                var keep = _random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            default:
                Insert(data, s_tokens[_random.Next(s_tokens.Length)]);
                break;
        }
    }

    private void Insert(List<byte> data, byte[] bytes) => data.InsertRange(_random.Next(data.Count + 1), bytes);
}
