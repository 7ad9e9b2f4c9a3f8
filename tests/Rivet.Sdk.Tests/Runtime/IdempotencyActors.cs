using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>State of <see cref="IdemLedger"/>.</summary>
public sealed class IdemLedgerState
{
    /// <summary>The balance.</summary>
    public int Balance { get; set; }

    /// <summary>How many times <see cref="IdemLedger.Deposit"/> ran.</summary>
    public int Runs { get; set; }
}

/// <summary>A balance whose deposits are counted: a call repeated with an idempotency key must not run again.</summary>
[Actor("idemLedger")]
public partial class IdemLedger : Actor<IdemLedgerState>
{
    /// <summary>Adds <paramref name="amount"/> and returns the new balance.</summary>
    [Action]
    public int Deposit(int amount)
    {
        State.Runs++;
        State.Balance += amount;
        return State.Balance;
    }

    /// <summary>How many deposits ran.</summary>
    [Action]
    public int Runs() => State.Runs;

    /// <summary>Returns a string of <paramref name="length"/> characters (a result too large to remember).</summary>
    [Action]
    public string Big(int length)
    {
        State.Runs++;
        return new string('x', length);
    }

    /// <summary>Puts the actor to sleep (its next call starts it again from its record).</summary>
    [Action]
    public void GoToSleep() => Sleep();
}
