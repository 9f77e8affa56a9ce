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

    /// <summary>
    /// Answer with <see cref="FaultRule.Body"/> as is (status <see cref="FaultRule.Status"/> when 2xx, else 200; content type
    /// <see cref="FaultRule.ContentType"/>), with every <c>{n}</c> replaced by how often the rule has fired: a hostile page
    /// with items that are not objects, a batch item with another object's body, or endless distinct nextLinks.
    /// </summary>
    Body,

    /// <summary>
    /// Answer 200 with a JSON body of <see cref="FaultRule.BodyBytes"/> bytes, written in chunks as it is read (never held in
    /// memory), with a Content-Length when <see cref="FaultRule.DeclareLength"/> and chunked otherwise.
    /// </summary>
    LargeBody,
}
