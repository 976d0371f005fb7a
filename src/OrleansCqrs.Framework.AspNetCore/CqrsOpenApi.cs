using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>What the endpoint helpers mean, told to the OpenAPI document: route ids, the problem <c>code</c>, the read headers.</summary>
public static class CqrsOpenApi
{
    public static OpenApiOptions AddCqrsConventions(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            foreach (var id in metadata.OfType<RouteIdParameter>())
            {
                operation.Parameters ??= [];
                operation.Parameters.Insert(0, new OpenApiParameter
                {
                    Name = id.Name,
                    In = ParameterLocation.Path,
                    Required = true,
                    Description = $"{IdFormat.Rule}.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdFormat.MaxLength, Pattern = IdFormat.Pattern },
                });
            }

            if (metadata.OfType<IdempotencyKeyParameter>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyKey.Header,
                    In = ParameterLocation.Header,
                    Description = $"1 to {IdempotencyKey.MaxLength} printable ASCII characters, sent once (empty or repeated is 400). A retry with the same key and "
                        + "request returns the first outcome, accepted or rejected, and writes nothing; the same key with another request is 422 command-id-reused.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.MaxLength, Pattern = "^[!-~]+$" },
                });
            }

            if (metadata.OfType<ReadWaitMetadata>().Any(r => !r.WaitsWithoutMinimum) && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[ReadWait.StaleHeader] = new OpenApiHeader
                {
                    Description = "true when the answer does not reflect the minVersion or minPosition asked for (the wait ran out), or the read model knows it is behind.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
                };
            }

            foreach (var (status, answer) in operation.Responses ?? [])
            {
                if (status is "429" or "503" && answer is OpenApiResponse refused)
                {
                    refused.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    refused.Headers["Retry-After"] = new OpenApiHeader
                    {
                        Description = status == "429"
                            ? "Seconds after which this caller's limit lets the request through."
                            : "Seconds after which to retry (a command with the same Idempotency-Key).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    };
                }
            }

            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type.IsAssignableTo(typeof(ProblemDetails)) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties[RejectionProblems.CodeKey] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "Stable, machine-readable reason: a rejection's code (e.g. insufficient-funds, account-not-found, command-id-reused) or an error's (e.g. invalid-body, store-unavailable).",
                };
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
