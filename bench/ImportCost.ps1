#Requires -Version 7.0
<#
.SYNOPSIS
    Import-Module cost in fresh pwsh processes: the median of N imports of each manifest given.
.DESCRIPTION
    Each sample starts a new pwsh (-NoProfile) and times Import-Module inside it with a Stopwatch, so process start-up
    is not counted. Compare two builds of the module, for example before and after a change:
        dotnet pwsh -NoProfile -File bench/ImportCost.ps1 -Manifest ./out/M365/M365.psd1, /tmp/before/out/M365/M365.psd1
.NOTES
    A benchmark, not a test: it asserts nothing.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $Manifest,
    [ValidateRange(1, 100)] [int] $Samples = 10
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'tests' 'SandboxTenant.ps1')
$pwsh = Get-TestPwsh
foreach ($path in $Manifest) {
    $full = (Resolve-Path $path).Path
    $times = for ($i = 0; $i -lt $Samples; $i++) {
        $script = "`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$full'; `$w.Elapsed.TotalMilliseconds"
        [double](& $pwsh.FilePath @($pwsh.Prefix) -NoProfile -NonInteractive -Command $script | Select-Object -Last 1)
    }
    $sorted = @($times | Sort-Object)
    [pscustomobject]@{
        Manifest  = $full
        MedianMs  = [math]::Round(($sorted[[int][math]::Floor(($Samples - 1) / 2)] + $sorted[[int][math]::Ceiling(($Samples - 1) / 2)]) / 2, 1)
        MinMs     = [math]::Round($sorted[0], 1)
        MaxMs     = [math]::Round($sorted[-1], 1)
    }
}
