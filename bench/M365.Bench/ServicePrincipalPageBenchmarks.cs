using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using M365.Sandbox.Graph;
using M365.Sandbox.Graph.ServicePrincipals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace M365.Bench;

/// <summary>
/// Serializing one $top=999 page out of 100,000 service principals, as the Graph endpoint does (query parse, skip
/// token seek, objects built on demand, Utf8JsonWriter). SP/s = 999 / mean time.
/// </summary>
[MemoryDiagnoser]
public class ServicePrincipalPageBenchmarks
{
    public const int PageSize = 999;

    private readonly ArrayBufferWriter<byte> _buffer = new(4 * 1024 * 1024);
    private ServicePrincipalCatalog _catalog = null!;
    private QueryCollection _query = null!;
    private KeyValuePair<string, string>[] _raw = null!;

    [Params("all", "id,appId,displayName")]
    public string Select { get; set; } = "all";

    [GlobalSetup]
    public void Setup()
    {
        _catalog = new ServicePrincipalCatalog(100_000, Guid.Parse("6babcaad-604b-40ac-a9d7-9fd97c0b779f"));
        _catalog.EnsureIndexed();
        var values = new Dictionary<string, StringValues>
        {
            ["$top"] = PageSize.ToString(),
            // A page deep in the listing: the skip token seeks there directly.
            ["$skiptoken"] = SkipToken.Encode(50_000),
        };
        if (Select != "all")
        {
            values["$select"] = Select;
        }

        _query = new QueryCollection(values);
        _raw = values.Select(v => KeyValuePair.Create(v.Key, v.Value.ToString())).ToArray();
    }

    [Benchmark(OperationsPerInvoke = PageSize)]
    public int SerializePage()
    {
        _buffer.ResetWrittenCount();
        var query = ServicePrincipalListQuery.Parse(_query, new HeaderDictionary(), beta: false, out _, out _)!;
        var page = ServicePrincipalPage.Create(_catalog, query, "v1.0", _raw);
        using var writer = new Utf8JsonWriter(_buffer, GraphJson.WriterOptions);
        ServicePrincipalPageWriter.Write(writer, page);
        return _buffer.WrittenCount;
    }
}
