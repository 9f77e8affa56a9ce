using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;

namespace M365.Module.Tests;

/// <summary>Invoke-M365Request's output types, status and header variables, streamed -InFile and -OutFile, and byte bodies, against the sandbox.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RawRequestTests
{
    private static string GroupJson => "{\"displayName\":\"Lab\",\"mailNickname\":\"lab" + Guid.NewGuid().ToString("N") + "\",\"mailEnabled\":false,\"securityEnabled\":true}";
    private readonly SandboxFixture _fixture;

    public RawRequestTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private static PowerShellSession Delegated()
    {
        var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -Credential $cred -WarningAction SilentlyContinue", new Dictionary<string, object?>
        {
            ["cred"] = new PSCredential("admin@contoso.onmicrosoft.com", Secrets.Secure(M365.Sandbox.Directory.SandboxSeed.AdminPassword)),
        });
        return session;
    }

    private static string TempPath(string name) => Path.Combine(Path.GetTempPath(), "m365-raw-" + Guid.NewGuid().ToString("N"), name);

    [Fact]
    public void OutputTypeGivesOrderedCaseInsensitiveHashtablesTheJsonTextOrTheAnswerWithoutTheToken()
    {
        using var session = Delegated();

        var table = session.RunOk("$h = Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=2' -OutputType Hashtable; $h.GetType().FullName; @($h.Keys)[0]; $h['VALUE'].Count; $h.value[0].GetType().Name; $h.value[0]['APPID'] -eq $h.value[0].appId").Output.Select(o => o.ToString()).ToList();
        var json = session.RunOk("$j = Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=2' -OutputType Json; $j.GetType().Name; ($j | ConvertFrom-Json).value.Count").Output.Select(o => o.ToString()).ToList();
        var message = session.RunOk("$m = Invoke-M365Request -Service Graph v1.0/organization -OutputType HttpResponseMessage; $m.GetType().Name; [int]$m.StatusCode; $m.RequestMessage.Headers.Contains('Authorization'); $m.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains('\"value\"')").Output.Select(o => o.ToString()).ToList();

        Assert.Equal(new[] { "System.Collections.Specialized.OrderedDictionary", "@odata.context", "2", "OrderedDictionary", "True" }, table);
        Assert.Equal(new[] { "String", "2" }, json);
        Assert.Equal(new[] { "HttpResponseMessage", "200", "False", "True" }, message);
    }

    [Fact]
    public void StatusAndHeaderVariablesAreSetInTheCallersScopeAsInvokeRestMethodSetsThem()
    {
        using var session = Delegated();

        var ok = session.RunOk("& { $null = Invoke-M365Request -Service Graph v1.0/organization -StatusCodeVariable sc -ResponseHeadersVariable rh; $sc; $sc.GetType().Name; $rh.GetType().Name; $rh['CONTENT-TYPE'][0]; $rh.ContainsKey('Authorization'); ($rh.Values | ForEach-Object { $_ }) -join ' ' }").Output.Select(o => o.ToString()!).ToList();
        var failed = session.Run($"Invoke-M365Request -Service Graph v1.0/servicePrincipals/{Guid.NewGuid()} -StatusCodeVariable sc; $sc");

        Assert.Equal("200", ok[0]);
        Assert.Equal("Int32", ok[1]);
        Assert.StartsWith("Dictionary`2", ok[2], StringComparison.Ordinal);
        Assert.StartsWith("application/json", ok[3], StringComparison.Ordinal);
        Assert.Equal("False", ok[4]);
        Assert.DoesNotContain("eyJ", ok[5], StringComparison.Ordinal);
        Assert.Equal(404, Convert.ToInt32(Assert.Single(failed.Output).BaseObject));
        failed.SingleError("ResourceNotFound", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void OutFileStreamsABodyOverTheMemoryLimitToTheFileWithProgressAndWritesNothingToThePipeline()
    {
        using var session = Delegated();
        const long size = 150L * 1024 * 1024;
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/organization", Kind = FaultKind.LargeBody, BodyBytes = size });
        var path = TempPath("big.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "old");
        try
        {
            var result = session.RunOk("Invoke-M365Request -Service Graph v1.0/organization -OutFile $path -StatusCodeVariable sc; $sc", new Dictionary<string, object?> { ["path"] = path });

            Assert.Equal(200, Convert.ToInt32(Assert.Single(result.Output).BaseObject));
            Assert.Equal(size, new FileInfo(path).Length);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
            Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.Contains("MiB", StringComparison.Ordinal));
            Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void OutFileInAMissingFolderIsRequestOutFileFailedWithThePathAsTarget()
    {
        using var session = Delegated();
        var path = TempPath("org.json");

        var result = session.Run("Invoke-M365Request -Service Graph v1.0/organization -OutFile $path", new Dictionary<string, object?> { ["path"] = path });

        Assert.Equal(path, result.SingleError("RequestOutFileFailed", ErrorCategory.WriteError).TargetObject);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public void InFileAndByteArrayBodiesAreSentAsTheyAreAndAMissingFileSendsNothing()
    {
        using var session = Delegated();
        var path = TempPath("group.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, GroupJson.Replace("Lab", "FromFile", StringComparison.Ordinal));
        try
        {
            var fromFile = session.RunOk("(Invoke-M365Request -Service Graph v1.0/groups -Method POST -InFile $path -ContentType application/json).displayName", new Dictionary<string, object?> { ["path"] = path });
            var fromBytes = session.RunOk("(Invoke-M365Request -Service Graph v1.0/groups -Method POST -Body ([Text.Encoding]::UTF8.GetBytes($json)) -ContentType application/json).displayName", new Dictionary<string, object?> { ["json"] = GroupJson.Replace("Lab", "FromBytes", StringComparison.Ordinal) });
            _fixture.Sandbox.ResetRequestLog();
            var missing = session.Run("Invoke-M365Request -Service Graph v1.0/groups -Method POST -InFile $path", new Dictionary<string, object?> { ["path"] = path + ".missing" });
            var both = session.Run("Invoke-M365Request -Service Graph v1.0/groups -Method POST -InFile $path -Body 'x'", new Dictionary<string, object?> { ["path"] = path });

            Assert.Equal("FromFile", Assert.Single(fromFile.Output).ToString());
            Assert.Equal("FromBytes", Assert.Single(fromBytes.Output).ToString());
            Assert.Equal(path + ".missing", missing.SingleError("RequestFileNotFound", ErrorCategory.ObjectNotFound).TargetObject);
            both.SingleError("RequestBodyInvalid", ErrorCategory.InvalidArgument);
            Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => !e.IsTokenRequest);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
