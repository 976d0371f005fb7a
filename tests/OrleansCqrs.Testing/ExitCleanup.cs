using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace OrleansCqrs.Testing;

/// <summary>
/// Last work for when this process ends: at a normal exit, and on SIGTERM, SIGINT (Ctrl+C) or SIGQUIT, before the
/// runtime's own handling of the signal ends the process (which runs no exit handlers of its own). An interrupted test
/// run or benchmark then leaves no silo, front end or PostgreSQL server behind, busy on the machine.
/// </summary>
internal static class ExitCleanup
{
    private static readonly ConcurrentDictionary<object, Action> Actions = new();

    // Kept referenced: a registration that is collected stops handling its signal.
    private static readonly PosixSignalRegistration[] Signals = OnSignals();

    /// <summary>Runs <paramref name="action"/> at the exit unless <see cref="Remove"/> is called for <paramref name="owner"/> first.</summary>
    public static void Add(object owner, Action action)
    {
        _ = Signals;
        Actions[owner] = action;
    }

    public static void Remove(object owner) => Actions.TryRemove(owner, out _);

    private static PosixSignalRegistration[] OnSignals()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
        if (OperatingSystem.IsWindows())
        {
            return [];
        }

        return [.. ((PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT]).Select(signal => PosixSignalRegistration.Create(signal, _ => RunAll()))];
    }

    private static void RunAll()
    {
        foreach (var owner in Actions.Keys)
        {
            if (Actions.TryRemove(owner, out var action))
            {
                try
                {
                    action();
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
                {
                    // Best effort: the process is ending.
                }
            }
        }
    }
}
