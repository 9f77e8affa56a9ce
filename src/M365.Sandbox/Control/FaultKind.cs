using System.Text.Json.Serialization;

namespace M365.Sandbox.Control;

[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.Status"/> (429/500/503/504) and an optional Retry-After.</summary>
    Status,

    /// <summary>Wait <see cref="FaultRule.LatencyMilliseconds"/> before the real answer.</summary>
    Latency,

    /// <summary>
    /// Act on the request first, then hold the answer for <see cref="FaultRule.LatencyMilliseconds"/>: a client that times out
    /// meanwhile has had its request carried out (a site created) without learning it.
    /// </summary>
    LatencyAfterAction,

    /// <summary>Answer with a truncated JSON body (content type still JSON).</summary>
    MalformedBody,

    /// <summary>Answer with an HTML error page, as a proxy or gateway would.</summary>
    HtmlBody,

    /// <summary>Rewrite the answer's @odata.nextLink to the request's own URL, so paging never ends.</summary>
    NextLinkLoop,

    /// <summary>Rewrite the answer's @odata.nextLink to another host (<see cref="FaultRule.ForeignHost"/>).</summary>
    NextLinkForeignHost,
}
