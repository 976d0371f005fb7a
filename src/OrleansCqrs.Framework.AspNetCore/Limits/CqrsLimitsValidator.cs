using Microsoft.Extensions.Options;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>Checks every <c>OrleansCqrs:Limits</c> value at start-up: a limit out of range stops the app with its name.</summary>
[OptionsValidator]
public sealed partial class CqrsLimitsValidator : IValidateOptions<CqrsLimitsOptions>;
