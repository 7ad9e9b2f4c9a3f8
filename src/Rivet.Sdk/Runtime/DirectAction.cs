using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Runtime;

/// <summary>
/// One action of a generated typed handle whose arguments and result are immutable values (numbers, strings, Guid,
/// dates, …): on a host in this process the handle hands the arguments to the actor's method directly, with no JSON
/// in between, since nothing the actor or the caller does to such a value can reach the other; everywhere else the
/// arguments are encoded with <see cref="Encode"/> as usual. Emitted by the source generator; not meant to be written
/// by hand.
/// </summary>
/// <typeparam name="TArgs">The arguments: the value itself for one, a tuple for several, <see cref="ValueTuple"/> for none.</typeparam>
/// <typeparam name="TResult">The result, <see cref="ValueTuple"/> for an action that returns nothing.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DirectAction<TArgs, TResult>
{
    /// <summary>Describes the action.</summary>
    /// <param name="actorType">The actor class the action belongs to: a direct call runs only on an actor of exactly this class.</param>
    /// <param name="run">Calls the action on the actor with the arguments and the action's token.</param>
    /// <param name="encode">Appends the arguments to a JSON argument list, for every other way of calling.</param>
    public DirectAction(Type actorType, Func<Actor, TArgs, CancellationToken, ValueTask<TResult>> run, Action<ActionArguments, TArgs> encode)
    {
        ArgumentNullException.ThrowIfNull(actorType);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(encode);
        ActorType = actorType;
        Run = run;
        Encode = encode;
    }

    /// <summary>The actor class the action belongs to.</summary>
    public Type ActorType { get; }

    /// <summary>Calls the action on the actor (in its turn).</summary>
    public Func<Actor, TArgs, CancellationToken, ValueTask<TResult>> Run { get; }

    /// <summary>Appends the arguments to a JSON argument list.</summary>
    public Action<ActionArguments, TArgs> Encode { get; }

    /// <summary>The arguments as a JSON array; dispose the list once it was sent.</summary>
    internal ActionArguments EncodeArguments(TArgs arguments)
    {
        var list = ActionArguments.Start();
        try
        {
            Encode(list, arguments);
        }
        catch
        {
            list.Dispose();
            throw;
        }
        return list;
    }
}

/// <summary>Adapts an action's return value to <see cref="DirectAction{TArgs, TResult}.Run"/>. Used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DirectAction
{
    /// <summary>The result of a synchronous action.</summary>
    public static ValueTask<T> Of<T>(T value) => new(value);

    /// <summary>The result of an action returning <see cref="Task{TResult}"/>.</summary>
    public static ValueTask<T> Of<T>(Task<T> task) => new(task);

    /// <summary>The result of an action returning <see cref="ValueTask{TResult}"/>.</summary>
    public static ValueTask<T> Of<T>(ValueTask<T> task) => task;

    /// <summary>The completion of an action returning <see cref="Task"/>.</summary>
    public static ValueTask<ValueTuple> Void(Task task) =>
        task.IsCompletedSuccessfully ? default : AwaitAsync(task);

    /// <summary>The completion of an action returning <see cref="ValueTask"/>.</summary>
    public static ValueTask<ValueTuple> Void(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            // Consumed, so a pooled source behind it is given back.
            task.GetAwaiter().GetResult();
            return default;
        }
        return AwaitAsync(task.AsTask());
    }

    /// <summary>Whether a string argument the action does not accept null for is null, as a call the compiler's nullable
    /// analysis does not read into: the handle then sends the value encoded, as always, and the dispatch refuses it.</summary>
    public static bool IsNull(string? value) => value is null;

    private static async ValueTask<ValueTuple> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }
}
