using System.Threading.RateLimiting;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>A refused lease that says which limit refused it, beside what the limiter said (its Retry-After).</summary>
internal sealed class RefusedLease(LimitRefusal refusal, RateLimitLease refused) : RateLimitLease
{
    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => refused.MetadataNames.Append(LimitRefusal.MetadataName.Name);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (metadataName == LimitRefusal.MetadataName.Name)
        {
            metadata = refusal;
            return true;
        }

        return refused.TryGetMetadata(metadataName, out metadata);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            refused.Dispose();
        }

        base.Dispose(disposing);
    }
}
