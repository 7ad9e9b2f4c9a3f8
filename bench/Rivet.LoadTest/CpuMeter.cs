using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Rivet.LoadTest;

/// <summary>
/// CPU time of the parties of one measured window: the engine process, the target's process and the load driver
/// (the Node driver reports its own; the HTTP workloads' driver is this process), plus how busy the whole machine was
/// (other users included). From <c>/proc</c> (Linux; elsewhere the numbers stay empty), so the calls per CPU-second
/// of each party are known whatever else runs on the machine.
/// </summary>
internal sealed class CpuMeter(int? enginePid, int targetPid)
{
    // /proc/<pid>/stat counts in clock ticks of 1/USER_HZ; USER_HZ is 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    private Snapshot _start;
    private bool _started;

    /// <summary>The measured window begins now.</summary>
    public void Start()
    {
        _start = Take();
        _started = true;
    }

    /// <summary>The measured window ends now; <paramref name="driverSeconds"/>: the driver's own CPU in it, when it reported one.</summary>
    public CpuUse Stop(double? driverSeconds = null)
    {
        if (!_started)
        {
            return new CpuUse();
        }
        var end = Take();
        var wall = Stopwatch.GetElapsedTime(_start.Timestamp, end.Timestamp).TotalSeconds;
        return new CpuUse
        {
            WallSeconds = wall,
            EngineSeconds = end.Engine - _start.Engine,
            TargetSeconds = end.Target - _start.Target,
            EngineWaitSeconds = end.EngineWait - _start.EngineWait,
            DriverSeconds = driverSeconds ?? end.Self - _start.Self,
            MachineBusyCoreSeconds = end.MachineTotal > _start.MachineTotal
                ? (double)(end.MachineBusy - _start.MachineBusy) / (end.MachineTotal - _start.MachineTotal) * Environment.ProcessorCount * wall
                : 0,
        };
    }

    private Snapshot Take() => new()
    {
        Timestamp = Stopwatch.GetTimestamp(),
        Engine = enginePid is { } pid ? ProcessSeconds(pid) : 0,
        EngineWait = enginePid is { } waiting ? RunQueueSeconds(waiting) : 0,
        Target = ProcessSeconds(targetPid),
        Self = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        MachineBusy = Machine(out var total),
        MachineTotal = total,
    };

    /// <summary>utime + stime of a process (its threads included), in seconds; 0 if it cannot be read.</summary>
    private static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: the fields after it start behind its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>
    /// How long the threads of a process were runnable but waited for a core (the kernel's run-queue delay, summed
    /// over the threads alive now from <c>/proc/{pid}/task/*/schedstat</c>): CPU contention, as opposed to waiting for I/O.
    /// </summary>
    public static double RunQueueSeconds(int pid)
    {
        double total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    total += long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return total;
    }

    /// <summary>utime + stime of a process, in seconds, or 0.</summary>
    public static double ProcessCpuSeconds(int pid) => ProcessSeconds(pid);

    /// <summary>The machine's busy and total jiffies since boot (first line of /proc/stat; idle and iowait are not busy).</summary>
    private static long Machine(out long total)
    {
        total = 0;
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var parts = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long idle = 0;
            for (var i = 1; i < parts.Length && i <= 8; i++)
            {
                var value = long.Parse(parts[i], CultureInfo.InvariantCulture);
                total += value;
                if (i is 4 or 5)
                {
                    idle += value;
                }
            }
            return total - idle;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or NullReferenceException)
        {
            total = 0;
            return 0;
        }
    }

    private struct Snapshot
    {
        public long Timestamp;
        public double Engine;
        public double EngineWait;
        public double Target;
        public double Self;
        public long MachineBusy;
        public long MachineTotal;
    }
}

/// <summary>CPU seconds spent by each party in measured windows (summed over the slices of a workload and target).</summary>
public sealed class CpuUse
{
    /// <summary>Wall time of the measured windows.</summary>
    public double WallSeconds { get; set; }

    /// <summary>CPU time of the engine process.</summary>
    public double EngineSeconds { get; set; }

    /// <summary>Time the engine's threads were runnable but waited for a core.</summary>
    public double EngineWaitSeconds { get; set; }

    /// <summary>CPU time of the target's process (our runner, the TS actor or a floor).</summary>
    public double TargetSeconds { get; set; }

    /// <summary>CPU time of the load driver (the Node driver; for HTTP workloads this process).</summary>
    public double DriverSeconds { get; set; }

    /// <summary>Busy cores of the whole machine times the wall time (all processes, other users' too).</summary>
    public double MachineBusyCoreSeconds { get; set; }

    /// <summary>Nothing was measured.</summary>
    public bool IsEmpty => WallSeconds <= 0;

    /// <summary>Adds another window's use.</summary>
    public void Add(CpuUse other)
    {
        WallSeconds += other.WallSeconds;
        EngineSeconds += other.EngineSeconds;
        EngineWaitSeconds += other.EngineWaitSeconds;
        TargetSeconds += other.TargetSeconds;
        DriverSeconds += other.DriverSeconds;
        MachineBusyCoreSeconds += other.MachineBusyCoreSeconds;
    }
}
