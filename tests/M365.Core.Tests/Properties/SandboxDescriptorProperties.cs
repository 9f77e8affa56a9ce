using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using M365.Core.Http;

namespace M365.Core.Tests.Properties;

/// <summary>Sandbox descriptors: written then parsed gives the same fields; anything else is SandboxDescriptorInvalid, never another error.</summary>
public sealed class SandboxDescriptorProperties : PropertySuite<SandboxDescriptorProperties>, IPropertySuite
{
    private sealed record Fields(string Host, int Port, byte[] Pin, string? CaPath, string? TenantName, string? TenantId, string? ControlPath)
    {
        public string Url => "https://" + Host + ":" + Port;

        public string Json()
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("url", Url);
                json.WriteNumber("port", Port);
                json.WriteString("certificateSha256", Convert.ToHexStringLower(Pin));
                WriteOptional(json, "caCertificatePath", CaPath);
                WriteOptional(json, "tenantName", TenantName);
                WriteOptional(json, "tenantId", TenantId);
                WriteOptional(json, "controlUrl", ControlPath is null ? null : Url + "/" + Uri.EscapeDataString(ControlPath));
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
        {
            if (value != null)
            {
                json.WriteString(name, value);
            }
        }
    }

    private static readonly Gen<string?> Optional = Gen.Frequency((1, Gen.Const((string?)null)), (3, Generators.ValidString.Where(s => s.Length > 0).Select(s => (string?)s)));

    private static readonly Gen<Fields> ValidFields =
        Gen.Select(
            Gen.OneOf(Gen.Byte.Array[3].Select(b => $"127.{b[0]}.{b[1]}.{b[2]}"), Gen.Const("[::1]")),
            Gen.Int[1, 65535],
            Gen.Byte.Array[32],
            Optional,
            Optional,
            Optional,
            Optional)
        .Select(t => new Fields(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7));

    private static readonly Gen<string> AnyDescriptorText = Gen.OneOf(
        Generators.AnyString,
        Generators.JsonValue(3),
        Generators.Mutated(ValidFields.Select(f => f.Json())),
        Gen.Select(ValidFields, Generators.JsonValue(1), Gen.Int[0, 6]).Select(t => ReplaceField(t.Item1.Json(), t.Item3, t.Item2)));

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("sandbox-descriptor", nameof(AWrittenDescriptorParsesToTheSameFields), AWrittenDescriptorParsesToTheSameFields),
        new("sandbox-descriptor", nameof(AnyTextIsADescriptorOnALoopbackHttpsUrlOrInvalid), AnyTextIsADescriptorOnALoopbackHttpsUrlOrInvalid),
        new("sandbox-descriptor", nameof(AnyFileLoadsOrIsInvalid), AnyFileLoadsOrIsInvalid),
    ];

    private static void AWrittenDescriptorParsesToTheSameFields(PropertyRun run) =>
        run.Check(ValidFields, fields =>
        {
            SandboxDescriptor descriptor = SandboxDescriptor.Parse(fields.Json());

            Assert.Equal(new Uri(fields.Url), descriptor.Url);
            Assert.Equal(fields.Port, descriptor.Port);
            Assert.Equal(Convert.ToHexStringLower(fields.Pin), descriptor.CertificateSha256);
            Assert.Equal(fields.CaPath, descriptor.CaCertificatePath);
            Assert.Equal(fields.TenantName, descriptor.TenantName);
            Assert.Equal(fields.TenantId, descriptor.TenantId);
            Assert.Equal(fields.ControlPath is null ? null : new Uri(fields.Url + "/" + Uri.EscapeDataString(fields.ControlPath)), descriptor.ControlUrl);
        }, fields => fields.Json());

    private static void AnyTextIsADescriptorOnALoopbackHttpsUrlOrInvalid(PropertyRun run) =>
        run.Check(AnyDescriptorText, text =>
        {
            SandboxDescriptor descriptor;
            try
            {
                descriptor = SandboxDescriptor.Parse(text);
            }
            catch (M365Exception ex)
            {
                Assert.Equal(TransportErrorIds.SandboxDescriptorInvalid, ex.ErrorId);
                return;
            }

            Assert.Equal(Uri.UriSchemeHttps, descriptor.Url.Scheme);
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(descriptor.Url.Host)), descriptor.Url.ToString());
            Assert.Equal(descriptor.Port, descriptor.Url.Port);
            Assert.Equal(64, descriptor.CertificateSha256.Length);
        });

    private static void AnyFileLoadsOrIsInvalid(PropertyRun run) =>
        run.Check(
            Gen.OneOf(
                Gen.Byte.Array[0, 256],
                AnyDescriptorText.Select(Encoding.UTF8.GetBytes),
                ValidFields.Select(f => Encoding.UTF8.GetBytes(f.Json().PadRight(SandboxDescriptor.MaxDescriptorBytes + 1)))),
            bytes =>
            {
                string path = Path.Combine(Path.GetTempPath(), "m365-descriptor-" + Guid.NewGuid() + ".json");
                File.WriteAllBytes(path, bytes);
                try
                {
                    SandboxDescriptor.Load(path);
                    Assert.True(bytes.Length <= SandboxDescriptor.MaxDescriptorBytes);
                }
                catch (M365Exception ex)
                {
                    Assert.Equal(TransportErrorIds.SandboxDescriptorInvalid, ex.ErrorId);
                }
                finally
                {
                    File.Delete(path);
                }
            });

    private static string ReplaceField(string json, int field, string value)
    {
        string[] names = ["url", "port", "certificateSha256", "caCertificatePath", "tenantName", "tenantId", "controlUrl"];
        var members = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => (JsonSerializer.Serialize(p.Name), p.Value.GetRawText())).ToList();
        members.RemoveAll(m => m.Item1 == JsonSerializer.Serialize(names[field]));
        members.Add((JsonSerializer.Serialize(names[field]), value));
        return Generators.JsonObject(members);
    }
}
