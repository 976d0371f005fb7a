using System.Diagnostics.Metrics;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Testing;

/// <summary>
/// Every measurement of one of the framework's instruments while it is alive, whatever host made it (instruments are
/// process-wide: a test asserts on measurements with its own tags, or on at least what it caused).
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(long Value, Dictionary<string, object?> Tags)> _measurements = [];

    public InstrumentRecorder(string instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == CqrsTelemetry.Name && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (_measurements)
            {
                _measurements.Add((value, copy));
            }
        });
        _listener.Start();
    }

    public List<(long Value, Dictionary<string, object?> Tags)> Measurements
    {
        get
        {
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
