using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace Rivet.LoadTest;

/// <summary>
/// Ctrl+C or SIGTERM mid-run: the processes this run started (engine, targets, drivers) would outlive it, so they
/// are killed (by their own ids, nothing else) and the engine's temporary data directory is removed before exiting.
/// </summary>
internal static class Interrupt
{
    private static readonly List<Process> s_children = [];
    private static readonly List<string> s_directories = [];
    private static readonly object s_gate = new();
    private static PosixSignalRegistration? s_int;
    private static PosixSignalRegistration? s_term;

    public static void Install()
    {
        s_int = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        s_term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public static void Track(Process process)
    {
        lock (s_gate)
        {
            s_children.Add(process);
        }
    }

    public static void TrackDirectory(string path)
    {
        lock (s_gate)
        {
            s_directories.Add(path);
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping the engine and the targets this run started");
        lock (s_gate)
        {
            foreach (var child in s_children)
            {
                try
                {
                    if (!child.HasExited)
                    {
                        child.Kill(entireProcessTree: true);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }
            foreach (var directory in s_directories)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort: it is a temporary directory.
                }
            }
        }
        Environment.Exit(130);
    }
}
