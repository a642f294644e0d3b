namespace VoipPlatform.Sip.Parsing;

/// <summary>
/// The elements of a comma-separated header value (Via, Route, Contact, Path, Supported), each trimmed; a comma inside
/// a quoted string or angle brackets does not split. Empty elements are skipped.
/// </summary>
/// <example><c>foreach (ReadOnlySpan&lt;byte&gt; contact in new HeaderList(value)) { ... }</c></example>
public readonly ref struct HeaderList(ReadOnlySpan<byte> value)
{
    private readonly ReadOnlySpan<byte> _value = value;

    /// <summary>Starts the walk.</summary>
    public Enumerator GetEnumerator() => new(_value);

    /// <summary>Walks the elements without allocating.</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> value)
    {
        private ReadOnlySpan<byte> _rest = value;

        /// <summary>The current element, trimmed.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Moves to the next non-empty element.</summary>
        public bool MoveNext()
        {
            while (!_rest.IsEmpty)
            {
                int length = SipSyntax.FirstListElementLength(_rest);
                Current = SipSyntax.Trim(_rest[..length]);
                _rest = length < _rest.Length ? _rest[(length + 1)..] : default;
                if (!Current.IsEmpty) return true;
            }
            return false;
        }
    }
}
