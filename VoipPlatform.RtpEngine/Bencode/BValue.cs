using System.Text;

namespace VoipPlatform.RtpEngine.Bencode;

/// <summary>A bencoded value (BitTorrent's encoding, which RTPEngine's ng protocol speaks): string, integer, list or dictionary.</summary>
public abstract record BValue
{
    /// <summary>A byte string from text (UTF-8).</summary>
    public static implicit operator BValue(string text) => new BString(Encoding.UTF8.GetBytes(text));

    /// <summary>An integer.</summary>
    public static implicit operator BValue(long value) => new BInteger(value);
}

/// <summary>A byte string: its length prefix counts bytes, not characters.</summary>
/// <param name="Bytes">The raw bytes.</param>
public sealed record BString(byte[] Bytes) : BValue
{
    /// <summary>The bytes as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <inheritdoc />
    public bool Equals(BString? other) => other is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override int GetHashCode() => Bytes.Length;

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>An integer.</summary>
/// <param name="Value">The value.</param>
public sealed record BInteger(long Value) : BValue;

/// <summary>A list.</summary>
/// <param name="Items">The items, in order.</param>
public sealed record BList(IReadOnlyList<BValue> Items) : BValue;

/// <summary>A dictionary; keys are byte strings, written in raw byte order as bencode requires.</summary>
/// <param name="Entries">Key (UTF-8 text) → value.</param>
public sealed record BDictionary(IReadOnlyDictionary<string, BValue> Entries) : BValue
{
    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public BValue? this[string key] => Entries.TryGetValue(key, out BValue? value) ? value : null;

    /// <summary>The text under <paramref name="key"/>, or null when absent or not a string.</summary>
    public string? Text(string key) => this[key] is BString s ? s.Text : null;
}
