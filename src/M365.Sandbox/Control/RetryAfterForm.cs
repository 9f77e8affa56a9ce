using System.Text.Json.Serialization;

namespace M365.Sandbox.Control;

/// <summary>How a fault writes Retry-After: whole seconds ("2"), decimal seconds ("0.249") or an HTTP date.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetryAfterForm>))]
public enum RetryAfterForm
{
    Seconds,
    DecimalSeconds,
    HttpDate,
}
