#Requires -Version 7.0
<#
.SYNOPSIS
    Runs (or only discovers) every tests/*.Tests.ps1 with a given Pester module and writes the results as JSON.
.DESCRIPTION
    Used by the xunit project tests/M365.Pester.Tests (so 'dotnet test M365Module.sln' runs the Pester files in real
    pwsh, once interactive and once with -NonInteractive) and by './build.ps1 -Task Pester'.
    The JSON names every test, every container and every failed block, so a failure is reported by name.
.PARAMETER PesterModule
    The Pester.psd1 to import: the NuGet package's tools/Pester.psd1, never the PowerShell Gallery.
.PARAMETER OutputPath
    Where to write the JSON results. Without it, the detailed Pester output is the only output.
.PARAMETER Discover
    Lists the tests without running them.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Invoke-PesterSuite.ps1 -PesterModule ~/.nuget/packages/pester/5.9.1/tools/Pester.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [string] $OutputPath,
    [switch] $Discover,
    [string[]] $Path = @($PSScriptRoot)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module $PesterModule -Force
$pester = Get-Module Pester

# The NuGet package folder the Pester module came from (<root>/pester/<version>/tools/Pester.psd1): tests take the other
# packages they load (an older MSAL, an older Polly) from the same place, restored by tests/M365.Pester.Tests.
$env:M365_TEST_NUGET_PACKAGES = Split-Path (Split-Path (Split-Path (Split-Path (Resolve-Path $PesterModule).Path)))

# Persisted sign-ins made by the tests stay in a folder of this run, never in the user's ~/.m365.
$cacheFolder = Join-Path ([IO.Path]::GetTempPath()) ('m365-pester-cache-' + [guid]::NewGuid().ToString('N'))
$env:M365_TOKEN_CACHE_DIRECTORY = $cacheFolder

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.SkipRun = [bool] $Discover
$config.Output.Verbosity = if ($Discover) { 'None' } else { 'Detailed' }
$config.Output.RenderMode = 'Plaintext'

try {
    $run = Invoke-Pester -Configuration $config
}
finally {
    Remove-Item -LiteralPath $cacheFolder -Recurse -Force -ErrorAction SilentlyContinue
}

# Describe > Context > It. Data-driven names (-ForEach with <Name>) are expanded here, from each test's data, the same way
# in discovery and in a run: Pester itself expands them only when it runs a test, so discovery would see '<Name>'.
function Expand-Name($item) {
    $data = $item.Data
    [regex]::Replace($item.Name, '<(\w+)>', {
            param($match)
            $key = $match.Groups[1].Value
            if ($key -eq '_') { return "$data" }
            if ($data -is [System.Collections.IDictionary] -and $data.Contains($key)) { return "$($data[$key])" }
            $match.Value
        })
}

function Get-TestPath($item, $block) {
    $names = [System.Collections.Generic.List[string]]::new()
    if ($item) { $names.Add((Expand-Name $item)) }
    while ($block -and -not $block.IsRoot) {
        $names.Insert(0, (Expand-Name $block))
        $block = $block.Parent
    }
    $names -join ' > '
}

function Get-ErrorText($errors) {
    @($errors | Where-Object { $_ } | ForEach-Object { "$($_.Exception.Message)`n$($_.ScriptStackTrace)" })
}

$interactive = -not ([Environment]::GetCommandLineArgs() | Where-Object { $_ -match '^[-/]+noni' })
$summary = [ordered]@{
    psVersion     = $PSVersionTable.PSVersion.ToString()
    pesterVersion = $pester.Version.ToString()
    interactive   = [bool] $interactive
    containers    = @($run.Containers | ForEach-Object {
            [ordered]@{
                file   = [IO.Path]::GetFileName([string] $_.Item)
                result = [string] $_.Result
                errors = @(Get-ErrorText $_.ErrorRecord)
            }
        })
    blocks        = @($run.FailedBlocks | ForEach-Object {
            [ordered]@{
                file   = [IO.Path]::GetFileName($_.ScriptBlock.File)
                path   = Get-TestPath $null $_
                errors = @(Get-ErrorText $_.ErrorRecord)
            }
        })
    tests         = @($run.Tests | ForEach-Object {
            [ordered]@{
                file   = [IO.Path]::GetFileName($_.ScriptBlock.File)
                path   = Get-TestPath $_ $_.Block
                result = [string] $_.Result
                errors = @(Get-ErrorText $_.ErrorRecord)
            }
        })
    passed        = $run.PassedCount
    failed        = $run.FailedCount
    skipped       = $run.SkippedCount
    notRun        = $run.NotRunCount
    failedContainers = $run.FailedContainersCount
    failedBlocks  = $run.FailedBlocksCount
}

# Two tests with the same name (in one file) are told apart by their order, which discovery and a run share.
$seen = @{}
foreach ($test in $summary.tests) {
    $key = "$($test.file): $($test.path)"
    $seen[$key] = 1 + ($seen[$key] ?? 0)
    if ($seen[$key] -gt 1) { $test.path = "$($test.path) #$($seen[$key])" }
}

if ($OutputPath) {
    $summary | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $OutputPath -Encoding utf8
}

if (-not $Discover) {
    $mode = if ($interactive) { 'interactive' } else { '-NonInteractive' }
    "Pester $($summary.pesterVersion) in pwsh $($summary.psVersion) ($mode): $($run.PassedCount) passed, $($run.FailedCount) failed, $($run.SkippedCount) skipped, $($run.FailedContainersCount + $run.FailedBlocksCount) container/block failures"
    if ($run.Result -ne 'Passed') { exit 1 }
}
