using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>Runs a scenario and returns the task exceptions nobody observed while it ran: a fault nobody saw.</summary>
internal static class UnobservedTaskExceptions
{
    public static async Task<IReadOnlyCollection<Exception>> DuringAsync(Func<Task> scenario)
    {
        var unobserved = new ConcurrentQueue<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await scenario();
            // Unobserved task exceptions are raised when their tasks are finalized.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
        return unobserved;
    }
}
