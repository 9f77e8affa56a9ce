using System.Text.Encodings.Web;
using System.Text.Json;

namespace M365.Sandbox.Graph;

/// <summary>JSON writer settings shared by the sandbox's services.</summary>
internal static class GraphJson
{
    /// <summary>
    /// Graph and SharePoint print apostrophes and non-ASCII letters as they are; the default encoder would escape
    /// them (\u0027), which clients accept but which is not what the services send. The answers are JSON APIs, never HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
