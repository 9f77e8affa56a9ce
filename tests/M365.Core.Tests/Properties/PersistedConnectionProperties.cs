using System.Text;
using CsCheck;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Clouds;

namespace M365.Core.Tests.Properties;

/// <summary>Persisted connection records: written then read gives the same record; anything else is PersistedConnectionInvalid.</summary>
public sealed class PersistedConnectionProperties : PropertySuite<PersistedConnectionProperties>, IPropertySuite
{
    private static readonly Gen<string> Domain = Gen.Select(
            Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 20],
            Gen.OneOf<string>(".onmicrosoft.com", ".com", ".co.uk", ".onmicrosoft.us"))
        .Select(t => t.Item1 + t.Item2);

    private static readonly Gen<string> GuidText = Gen.Guid.Select(g => g.ToString());

    private static readonly Gen<PersistedConnection> Record =
        Gen.Select(
            Gen.Select(Generators.ValidString.Where(s => s.Length > 0), Gen.OneOf(CloudEnvironment.All.Select(c => c.Name).ToArray()), Gen.OneOf(GuidText, Domain, Gen.OneOf<string>("organizations", "common"))),
            Gen.Select(Gen.Frequency((1, Gen.Const((string?)null)), (3, GuidText.Select(g => (string?)g))), Gen.Frequency((1, Gen.Const((string?)null)), (3, Domain.Select(d => (string?)d))), GuidText, Gen.Enum<AppIdSource>()),
            Gen.Select(Gen.OneOf(Gen.Const(AuthenticationType.DeviceCode), Gen.Const(AuthenticationType.Credential)), Generators.ValidString.Where(s => s.Length > 0), Gen.Select(GuidText, GuidText).Select(t => t.Item1 + "." + t.Item2), Gen.Enum<TokenCacheProtection>()),
            Gen.Select(Gen.Bool, Generators.ValidString.Where(s => s.Length > 0), Gen.Long[DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay], Gen.Int[-14 * 60, 14 * 60]))
        .Select((a, b, c, d) => new PersistedConnection(
            a.Item1,
            a.Item2,
            a.Item3,
            b.Item1,
            b.Item2,
            b.Item3,
            b.Item4,
            c.Item1,
            c.Item2,
            c.Item3,
            c.Item4,
            d.Item1,
            d.Item1 ? d.Item2 : null,
            new DateTimeOffset(d.Item3, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(d.Item4))));

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("persisted-connection", nameof(AWrittenRecordReadsBackTheSame), AWrittenRecordReadsBackTheSame),
        new("persisted-connection", nameof(AnyContentIsADelegatedRecordOrInvalid), AnyContentIsADelegatedRecordOrInvalid),
    ];

    private static void AWrittenRecordReadsBackTheSame(PropertyRun run) =>
        run.Check(Record, record =>
        {
            PersistedConnection read = PersistedConnectionSerializer.Deserialize(PersistedConnectionSerializer.Serialize(record), "work.json");

            Assert.Equal(Describe(record), Describe(read));
            Assert.Equal(record.SavedOn.Offset, read.SavedOn.Offset);
        }, record => Encoding.UTF8.GetString(PersistedConnectionSerializer.Serialize(record)));

    private static void AnyContentIsADelegatedRecordOrInvalid(PropertyRun run) =>
        run.Check(
            Gen.OneOf(
                Gen.Byte.Array[0, 128],
                Generators.JsonValue(3).Select(Encoding.UTF8.GetBytes),
                Generators.Mutated(Record.Select(r => Encoding.UTF8.GetString(PersistedConnectionSerializer.Serialize(r)))).Select(Encoding.UTF8.GetBytes)),
            content =>
            {
                PersistedConnection record;
                try
                {
                    record = PersistedConnectionSerializer.Deserialize(content, "work.json");
                }
                catch (M365Exception ex)
                {
                    Assert.Equal(PersistenceErrorIds.PersistedConnectionInvalid, ex.ErrorId);
                    return;
                }

                Assert.Contains(record.AuthType, new[] { AuthenticationType.DeviceCode, AuthenticationType.Credential });
                Assert.True(Guid.TryParse(record.AppId, out _));
                Assert.True(record.UsesSandbox || record.SandboxDescriptorPath is null);
                Assert.True(CloudEnvironment.TryGet(record.Cloud, out _));
            });

    private static string Describe(PersistedConnection r) => string.Join(
        "|",
        r.Name,
        r.Cloud,
        r.Tenant,
        r.TenantId,
        r.TenantDomain,
        r.AppId,
        r.AppIdSource,
        r.AuthType,
        r.Identity,
        r.AccountId,
        r.Protection,
        r.UsesSandbox,
        r.SandboxDescriptorPath,
        r.SavedOn.UtcTicks);
}
