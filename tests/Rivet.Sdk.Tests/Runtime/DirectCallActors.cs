using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>A mutable class: handles copy it through JSON, so neither side sees the other's changes.</summary>
public sealed class Book
{
    public string Title { get; set; } = "";
}

public sealed class ShelfState
{
    public List<Book> Books { get; set; } = [];
    public string Name { get; set; } = "";
}

/// <summary>Actions of <see cref="DirectCallTests"/>: value actions (called directly in process) and a mutable one.</summary>
[Actor]
public partial class Shelf : Actor<ShelfState>
{
    /// <summary>Changes the book it gets and keeps it: the caller's object must not change, nor the kept one later.</summary>
    [Action]
    public Book Store(Book book)
    {
        book.Title += "!";
        State.Books.Add(book);
        return book;
    }

    [Action] public IReadOnlyList<string> Titles() => State.Books.ConvertAll(b => b.Title);

    [Action] public string Rename(string name) => State.Name = name;

    [Action] public string GetName() => State.Name;

    /// <summary>Every immutable kind at once; returns them as the actor received them.</summary>
    [Action]
    public string Describe(long number, decimal amount, Guid id, DateTime at, DateTimeOffset? offset, TimeSpan span, char letter, string? note) =>
        $"{number}|{amount}|{id}|{at:O}|{at.Kind}|{offset:O}|{span}|{letter}|{note ?? "null"}";

    /// <summary>Changes the state, then fails: the change is rolled back.</summary>
    [Action]
    public void RenameThenFail(string name)
    {
        State.Name = name;
        throw new UserError("refused " + name, "refused");
    }

    [Action]
    public async Task<int> CountLaterAsync()
    {
        await Task.Yield();
        return State.Books.Count;
    }

    [Action] public void GoToSleep() => Sleep();
}
