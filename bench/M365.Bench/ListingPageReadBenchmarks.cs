using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using M365.Core.Http;
using M365.Core.Services.Graph;
using M365.Sandbox.Graph;
using M365.Sandbox.Graph.ServicePrincipals;
using ServicePrincipal = M365.Core.Services.Graph.ServicePrincipal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace M365.Bench;

/// <summary>
/// Reading one $top=999 page of service principals as the module's listing receives it (the sandbox's bytes, Graph's
/// shape) into objects: the streaming reader the listing uses (one Utf8JsonReader pass, ODataItemPage) against the
/// JsonDocument it used before (parse the page, then FromJson on each element). SP/s = 999 / mean time.
/// </summary>
[MemoryDiagnoser]
public class ListingPageReadBenchmarks
{
    private byte[] _page = Array.Empty<byte>();

    [Params("all", "id,appId,displayName")]
    public string Select { get; set; } = "all";

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new ServicePrincipalCatalog(100_000, Guid.Parse("6babcaad-604b-40ac-a9d7-9fd97c0b779f"));
        catalog.EnsureIndexed();
        var values = new Dictionary<string, StringValues> { ["$top"] = ServicePrincipalPageBenchmarks.PageSize.ToString(), ["$skiptoken"] = SkipToken.Encode(50_000) };
        if (Select != "all")
        {
            values["$select"] = Select;
        }

        var query = ServicePrincipalListQuery.Parse(new QueryCollection(values), new HeaderDictionary(), beta: false, out _, out _)!;
        var page = ServicePrincipalPage.Create(catalog, query, "v1.0", values.Select(v => KeyValuePair.Create(v.Key, v.Value.ToString())).ToArray());
        var buffer = new ArrayBufferWriter<byte>(4 * 1024 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, GraphJson.WriterOptions))
        {
            ServicePrincipalPageWriter.Write(writer, page);
        }

        _page = buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = ServicePrincipalPageBenchmarks.PageSize)]
    public int StreamingReader()
    {
        ODataItemPage<ServicePrincipal> read = ODataItemPage<ServicePrincipal>.Parse(_page, (ref Utf8JsonReader reader) => ServicePrincipal.Read(ref reader, ServicePrincipal.Empty()));
        return read.Items!.Count;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ServicePrincipalPageBenchmarks.PageSize)]
    public int DocumentThenFromJson()
    {
        using JsonDocument document = JsonDocument.Parse(_page);
        int count = 0;
        foreach (JsonElement item in document.RootElement.GetProperty("value").EnumerateArray())
        {
            count += ServicePrincipal.FromJson(item).DisplayName is null ? 0 : 1;
        }

        return count;
    }
}
