using M365.Sandbox.Hosting;

var options = SandboxCommandLine.Parse(args, out var error, out var help);
if (help)
{
    Console.WriteLine(SandboxCommandLine.Usage);
    return 0;
}

if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(SandboxCommandLine.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

SandboxHost sandbox;
try
{
    sandbox = await SandboxHost.StartAsync(options, stop.Token);
}
catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"The sandbox could not start: {ex.Message}");
    return 1;
}

await using (sandbox)
{
    Console.WriteLine($"M365 sandbox tenant '{sandbox.Hosts.TenantName}' ({sandbox.TenantId}) is listening on {sandbox.Url}");
    Console.WriteLine($"  certificate pin (SHA-256): {sandbox.CertificatePin}");
    Console.WriteLine($"  CA certificate:            {sandbox.CaCertificatePath}");
    Console.WriteLine($"  control API:               {sandbox.ControlUrl}");
    Console.WriteLine($"  device codes:              {(options.InteractiveApproval ? sandbox.Url + "/devicelogin" : "approved automatically")}");
    Console.WriteLine($"  browser sign-in:           {(options.InteractiveApproval ? "sign-in and consent pages at " + sandbox.Url + "/{tenant}/oauth2/v2.0/authorize" : "approved automatically")}");
    Console.WriteLine();
    Console.WriteLine($"export {SandboxDescriptor.EnvironmentVariable}={sandbox.DescriptorPath}");
    Console.WriteLine();
    Console.WriteLine("Press Ctrl+C to stop.");
    try
    {
        await sandbox.WaitForShutdownAsync(stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C: fall through to the orderly shutdown below.
    }
}

Console.WriteLine("Sandbox stopped.");
return 0;
