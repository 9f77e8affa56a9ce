namespace M365.Sandbox.Control;

/// <summary>Which requests a fault rule applies to.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<FaultScope>))]
public enum FaultScope
{
    /// <summary>Direct calls and the inner requests of a Graph $batch.</summary>
    Any,

    /// <summary>Direct calls only; a $batch's inner requests are left alone.</summary>
    Direct,

    /// <summary>Only the inner requests of a Graph $batch, so single items inside a batch can be throttled.</summary>
    BatchItems,
}
