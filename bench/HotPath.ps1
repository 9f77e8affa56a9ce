#Requires -Version 7.0
<#
.SYNOPSIS
    The cost of a cached Get-M365AccessToken in real pwsh, against Get-Date and Get-M365Connection in the same loop.
.DESCRIPTION
    Starts a sandbox tenant (child process), signs in, warms up, then runs rounds of N calls of each command in turn and
    prints the median cost per call and the ratio to Get-Date. The target: a cached Get-M365AccessToken costs at most
    2 x Get-Date (the dispatcher round trip it used to pay cost 1 ms and more under load).
    Run it after 'dotnet build M365Module.sln':
        dotnet pwsh -NoProfile -File bench/HotPath.ps1 [-Calls 1000] [-Rounds 7]
.NOTES
    A benchmark, not a test: it asserts nothing, and its figures depend on the machine and its load.
#>
[CmdletBinding()]
param(
    [ValidateRange(10, 100000)] [int] $Calls = 1000,
    [ValidateRange(1, 50)] [int] $Rounds = 7
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'tests' 'SandboxTenant.ps1')
Import-Module (Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1') -Force
$sandbox = Start-TestSandbox
try {
    $env:M365_SANDBOX = $sandbox.DescriptorPath
    $seed = Invoke-SandboxControl -Sandbox $sandbox -Method GET -Path '/seed'
    $admin = $seed.users | Where-Object { -not $_.mfaRequired } | Select-Object -First 1
    $credential = [pscredential]::new($admin.userPrincipalName, (ConvertTo-SecureString $admin.password -AsPlainText -Force))
    $null = Connect-M365 -Sandbox -Credential $credential -WarningAction SilentlyContinue

    $commands = [ordered]@{
        'Get-Date'                       = { $null = Get-Date }
        'Get-M365Connection'             = { $null = Get-M365Connection }
        'Get-M365AccessToken (cached)'   = { $null = Get-M365AccessToken -Resource Graph }
    }
    foreach ($command in $commands.Values) { for ($i = 0; $i -lt 200; $i++) { & $command } }   # warm-up, token cached

    $samples = @{}
    foreach ($name in $commands.Keys) { $samples[$name] = [System.Collections.Generic.List[double]]::new() }
    $watch = [System.Diagnostics.Stopwatch]::new()
    for ($round = 0; $round -lt $Rounds; $round++) {
        foreach ($name in $commands.Keys) {
            $command = $commands[$name]
            $watch.Restart()
            for ($i = 0; $i -lt $Calls; $i++) { & $command }
            $watch.Stop()
            $samples[$name].Add($watch.Elapsed.TotalMilliseconds * 1000 / $Calls)
        }
    }

    $median = { param($values) $sorted = @($values | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }
    $baseline = & $median $samples['Get-Date']
    foreach ($name in $commands.Keys) {
        $value = & $median $samples[$name]
        [pscustomobject]@{
            Command           = $name
            'Median µs/call'  = [math]::Round($value, 1)
            'x Get-Date'      = [math]::Round($value / $baseline, 2)
        }
    }
    Write-Host "pwsh $($PSVersionTable.PSVersion), $([Environment]::ProcessorCount) cores, $Calls calls x $Rounds rounds (median of the rounds)."
}
finally {
    Disconnect-M365 -All -ErrorAction SilentlyContinue
    Stop-TestSandbox -Sandbox $sandbox
}
