# Helpers for the Pester files: start and stop the sandbox tenant (built by 'dotnet build M365Module.sln') as a child process.

function Start-TestSandbox {
    [CmdletBinding()]
    param([int] $DeviceCodeInterval = 1, [int] $AccessTokenLifetime = 3600, [switch] $InteractiveApproval, [int] $ServicePrincipals = 50)

    $root = Join-Path $PSScriptRoot '..'
    $dll = Get-ChildItem -Path (Join-Path $root 'src' 'M365.Sandbox' 'bin') -Recurse -Filter 'M365.Sandbox.dll' -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq 'net10.0' } |
        Sort-Object LastWriteTime -Descending |
        Select-Object -First 1
    if (-not $dll) {
        throw "The sandbox is not built. Run 'dotnet build M365Module.sln' first."
    }

    $state = Join-Path ([IO.Path]::GetTempPath()) ('m365-pester-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $state | Out-Null
    $arguments = @($dll.FullName, 'serve', '--port', '0', '--state', $state,
        '--device-code-interval', $DeviceCodeInterval, '--access-token-lifetime', $AccessTokenLifetime, '--service-principals', $ServicePrincipals)
    if ($InteractiveApproval) { $arguments += '--interactive-approval' }
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $state 'stdout.txt') -RedirectStandardError (Join-Path $state 'stderr.txt')

    $descriptor = Join-Path $state 'sandbox.json'
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $descriptor)) {
        if ($process.HasExited) {
            throw "The sandbox exited with code $($process.ExitCode): $(Get-Content -Raw (Join-Path $state 'stderr.txt'))"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-Process -Id $process.Id -Force
            throw 'The sandbox did not start within 60 seconds.'
        }
        Start-Sleep -Milliseconds 200
    }

    try {
        $parsed = Get-Content -Raw $descriptor | ConvertFrom-Json
    } catch {
        # Never leave a sandbox running behind a failed start.
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        throw
    }

    [pscustomobject]@{
        Process        = $process
        State          = $state
        DescriptorPath = $descriptor
        Descriptor     = $parsed
    }
}

function Stop-TestSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox)

    if (-not $Sandbox.Process.HasExited) {
        Stop-Process -Id $Sandbox.Process.Id -Force
        $Sandbox.Process.WaitForExit(10000) | Out-Null
    }
    Remove-Item -Path $Sandbox.State -Recurse -Force -ErrorAction SilentlyContinue
}

function Invoke-SandboxControl {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, [object] $Body)

    # The control API answers on the loopback address with the sandbox's certificate: trust exactly the sandbox CA.
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
    $policy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
    # CreateFromPem with the certificate text alone: the CA file holds no private key (CreateFromPemFile would look for one).
    $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem([IO.File]::ReadAllText($Sandbox.Descriptor.caCertificatePath))
    $null = $policy.CustomTrustStore.Add($ca)
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.SslOptions.CertificateChainPolicy = $policy
    $client = [System.Net.Http.HttpClient]::new($handler)
    try {
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $Sandbox.Descriptor.controlUrl + $Path)
        if ($PSBoundParameters.ContainsKey('Body')) {
            $request.Content = [System.Net.Http.StringContent]::new(($Body | ConvertTo-Json -Depth 5), [Text.Encoding]::UTF8, 'application/json')
        }
        $response = $client.SendAsync($request).GetAwaiter().GetResult()
        $body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) {
            throw "The sandbox control API answered $([int]$response.StatusCode) to $Method ${Path}: $body"
        }
        if ($body) { $body | ConvertFrom-Json }
    }
    finally {
        $client.Dispose()
    }
}

function Get-TestPwsh {
    <#
    .SYNOPSIS
        The command line that starts another pwsh like this one: the executable, and the arguments before pwsh's own.
    .DESCRIPTION
        Under the PowerShell .NET tool ('dotnet pwsh') this process is 'dotnet', so (Get-Process -Id $PID).Path would
        start 'dotnet -NoProfile ...'. The pwsh executable or pwsh.dll in $PSHOME is what every install has.
    #>
    $executable = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path -LiteralPath $executable) {
        return [pscustomobject]@{ FilePath = $executable; Prefix = @() }
    }

    # A framework-dependent layout with pwsh.dll only: run it with the dotnet host that runs this process.
    [pscustomobject]@{ FilePath = [Environment]::ProcessPath; Prefix = @(Join-Path $PSHOME 'pwsh.dll') }
}

function Invoke-InNewSession {
    <#
    .SYNOPSIS
        Runs a script in a new pwsh process (a "later session") with the module imported, and returns its output. A failure
        comes back as the line 'ERROR <FullyQualifiedErrorId> | <message>'.
    .DESCRIPTION
        HTTPS_PROXY points at a closed loopback port, so a request the module should not have made never leaves the machine.
    #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})

    $pwsh = Get-TestPwsh
    $manifest = Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1'
    $wrapped = "`$ErrorActionPreference = 'Stop'; `$WarningPreference = 'SilentlyContinue'; Import-Module '$manifest'; try { $Script } catch { 'ERROR ' + `$_.FullyQualifiedErrorId + ' | ' + `$_.Exception.Message + ' | ' + `$_.ErrorDetails.RecommendedAction }"
    $saved = @{}
    $Environment['HTTPS_PROXY'] = 'http://127.0.0.1:9'
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        & $pwsh.FilePath @($pwsh.Prefix) -NoProfile -NonInteractive -Command $wrapped
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-TestIdentity {
    <#
    .SYNOPSIS
        What the sandbox seeded, ready for Connect-M365: the seed, the confidential app with its secret, and a
        credential for the first user that signs in without MFA.
    #>
    param([Parameter(Mandatory)] $Sandbox)

    $seed = Invoke-SandboxControl -Sandbox $Sandbox -Method GET -Path '/seed'
    $app = $seed.apps | Where-Object { $_.clientSecret } | Select-Object -First 1
    $admin = $seed.users | Where-Object { -not $_.mfaRequired } | Select-Object -First 1
    [pscustomobject]@{
        Seed       = $seed
        App        = $app
        Secret     = ConvertTo-SecureString -String $app.clientSecret -AsPlainText -Force
        Credential = [pscredential]::new($admin.userPrincipalName, (ConvertTo-SecureString -String $admin.password -AsPlainText -Force))
    }
}

function Get-SandboxRequests { @(Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/requests') }

function Clear-SandboxRequests { $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/requests' }

function Start-TestSession {
    <#
    .SYNOPSIS
        What a Pester file against the sandbox needs first: the module imported from out/M365, a sandbox started, the
        module pointed at it, and persisted sign-ins kept in the sandbox's own folder. Sets $script:Manifest and
        $script:Sandbox in the calling file; Stop-TestSession undoes all of it.
    #>
    $script:Manifest = Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1'
    Import-Module $script:Manifest -Force -ErrorAction Stop
    $script:Sandbox = Start-TestSandbox
    $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
    $script:SavedCacheDirectory = $env:M365_TOKEN_CACHE_DIRECTORY
    $env:M365_TOKEN_CACHE_DIRECTORY = Join-Path $script:Sandbox.State 'token-caches'
    # The saved defaults too: no test reads or writes a real ~/.m365/settings.json.
    $script:SavedSettingsDirectory = $env:M365_SETTINGS_DIRECTORY
    $env:M365_SETTINGS_DIRECTORY = Join-Path $script:Sandbox.State 'settings'
}

function Stop-TestSession {
    Disconnect-M365 -All -ErrorAction SilentlyContinue
    Get-Module M365 | Remove-Module -Force
    Remove-Item Env:M365_SANDBOX -ErrorAction SilentlyContinue
    $env:M365_TOKEN_CACHE_DIRECTORY = $script:SavedCacheDirectory
    $env:M365_SETTINGS_DIRECTORY = $script:SavedSettingsDirectory
    if ($script:Sandbox) { Stop-TestSandbox -Sandbox $script:Sandbox }
}
