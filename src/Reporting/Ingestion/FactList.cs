using System.Collections;

namespace Reporting.Ingestion;

/// <summary>
/// The facts of one kind as the reader hands them over. Each fact goes to <see cref="OnRead"/> (the rules check it
/// there, in the same pass as the read) and is then either kept (validating a file for a person, tests) or not
/// (ingestion passes it on into PostgreSQL while reading, so a million-row return is never held as a whole).
/// </summary>
public sealed class FactList<T>(bool keep = true) : IReadOnlyList<T>
{
    readonly List<T>? kept = keep ? [] : null;

    /// <summary>Called for every fact, in the order read.</summary>
    public Action<T>? OnRead { get; set; }

    public int Count { get; private set; }

    public void Add(T fact)
    {
        Count++;
        OnRead?.Invoke(fact);
        kept?.Add(fact);
    }

    /// <summary>The kept facts (for a cheap copy into <see cref="ParsedReturn"/>).</summary>
    public List<T> Kept => kept ?? throw NotKept();

    public T this[int index] => Kept[index];
    public IEnumerator<T> GetEnumerator() => Kept.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    static InvalidOperationException NotKept() => new("These facts were passed on as they were read and not kept.");
}
