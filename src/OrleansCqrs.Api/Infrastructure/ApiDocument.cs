using Microsoft.OpenApi;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Hosting;
using Scalar.AspNetCore;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// The API described by OpenAPI 3.1 at <see cref="DocumentPath"/>, and browsable with Scalar at
/// <see cref="ScalarPath"/>: on by default in the embedded mode, off in a cluster unless
/// <c>OrleansCqrs:ApiDocs</c> is true. docs/openapi.json holds the document as generated; a test compares them.
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ScalarPath = "/scalar";
    public const string EnabledKey = "OrleansCqrs:ApiDocs";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OrleansCqrs bank ledger",
                    Version = Name,
                    Description = "Commands on accounts and reads of the read models. Every error is application/problem+json with a stable `code`; "
                        + "commands take an optional Idempotency-Key (scoped to the caller); reads take minVersion or minPosition and waitMs to read one's own writes. "
                        + "Every endpoint but /health/*, this document and POST /api/dev/token needs a bearer token; each says who may call it.",
                };
                // Served by whichever front end answers: a fixed server would be wrong behind a proxy and differ per port.
                document.Servers = [];
                return Task.CompletedTask;
            });
            options.AddCqrsConventions();
            options.AddBearerSecurity("A JWT from the configured issuer (OrleansCqrs:Auth), or in the embedded mode from POST /api/dev/token. "
                + "Customers (claim customer_id) use their own accounts; role operator uses every account and alone reads bank-wide data and runs rebuilds.");
        });

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var enabled = app.Configuration.GetValue<bool?>(EnabledKey) ?? OrleansCqrsSettings.From(app.Configuration).Mode == HostingMode.Embedded;
        if (enabled)
        {
            // The description of the API is public: it tells a caller how to authenticate.
            app.MapOpenApi(DocumentPath).AllowAnonymous();
            app.MapScalarApiReference(ScalarPath, options => options.WithTitle("OrleansCqrs API").AddDocument(Name, routePattern: DocumentPath)).AllowAnonymous();
        }

        return app;
    }
}
