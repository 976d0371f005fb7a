using System.Threading.RateLimiting;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>The leases every limit granted a request, given back together when the request ends.</summary>
internal sealed class GrantedLeases(List<RateLimitLease> leases) : RateLimitLease
{
    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }

    public static void Release(List<RateLimitLease> leases)
    {
        for (var i = leases.Count - 1; i >= 0; i--)
        {
            leases[i].Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release(leases);
        }

        base.Dispose(disposing);
    }
}
