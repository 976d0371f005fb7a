namespace OrleansCqrs.Framework.Tests;

/// <summary>Awaits a condition with a deadline, never sleeping and hoping.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds:0.#} s for {what}.");
            }

            await Task.Delay(10);
        }
    }
}
