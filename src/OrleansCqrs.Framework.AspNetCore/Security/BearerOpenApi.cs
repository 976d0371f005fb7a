using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Tells the OpenAPI document how callers authenticate: the bearer scheme, which operations need it (all but those
/// marked anonymous) and the 401 (and, where a policy applies, 403) they may answer, with the ProblemDetails body
/// every other error has.
/// </summary>
public static class BearerOpenApi
{
    public const string SchemeName = "Bearer";

    public static OpenApiOptions AddBearerSecurity(this OpenApiOptions options, string description)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = description,
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return Task.CompletedTask;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
            operation.Responses ??= [];
            // The problem body as the operation's other problems declare it (a plain one: a 400's names fields).
            var problem = operation.Responses.Where(r => r.Key != "400").Select(r => r.Value).OfType<OpenApiResponse>()
                .FirstOrDefault(r => r.Content?.ContainsKey("application/problem+json") == true)?.Content;
            operation.Responses.TryAdd("401", new OpenApiResponse
            {
                Description = "No valid bearer token (missing, expired, wrongly signed, another audience); WWW-Authenticate: Bearer says why.",
                Content = problem,
            });
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            {
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The caller's roles do not allow this.", Content = problem });
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
