#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the M365 module.
.DESCRIPTION
    Build   (default) dotnet build; lays out the module folder out/M365/.
    Test    dotnet test, then the Pester 5 files tests/*.Tests.ps1 in a child pwsh process
            (so this session never locks M365.dll).
    Package a Release build copied to artifacts/M365/ (ready for Publish-Module -Path) and a versioned zip.
    On machines without pwsh, 'dotnet build M365Module.sln' and 'dotnet test M365Module.sln' do everything.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'M365Module.sln'
$moduleFolder = Join-Path $root 'out' 'M365'

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Build {
    param([string] $Config = $Configuration)
    Invoke-Dotnet -Arguments @('build', $solution, '-c', $Config)
    if (-not (Test-Path (Join-Path $moduleFolder 'M365.psd1'))) {
        throw "The build did not lay out $moduleFolder."
    }
}

function Invoke-Test {
    Invoke-Build
    Invoke-Dotnet -Arguments @('test', $solution, '-c', $Configuration, '--no-build')

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed, so tests/*.Tests.ps1 were not run. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        return
    }

    $pwsh = (Get-Process -Id $PID).Path
    $testsFolder = Join-Path $root 'tests'
    # A child process, so the module dll loaded by the tests is never locked in this session. Not -NonInteractive:
    # the device-code tests need an interactive host (the sandbox approves the code itself).
    & $pwsh -NoProfile -Command "
        Import-Module Pester -MinimumVersion 5.0
        `$config = New-PesterConfiguration
        `$config.Run.Path = '$testsFolder'
        `$config.Run.Exit = `$true
        `$config.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration `$config
    "
    if ($LASTEXITCODE -ne 0) {
        throw "Pester reported $LASTEXITCODE failed test(s)."
    }
}

function Invoke-Package {
    Invoke-Build -Config 'Release'
    $manifest = Import-PowerShellDataFile (Join-Path $moduleFolder 'M365.psd1')
    $version = $manifest.ModuleVersion
    $artifacts = Join-Path $root 'artifacts'
    $target = Join-Path $artifacts 'M365'
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item -Path (Join-Path $moduleFolder '*') -Destination $target -Recurse
    Test-ModuleManifest -Path (Join-Path $target 'M365.psd1') | Out-Null
    $zip = Join-Path $artifacts "M365.$version.zip"
    if (Test-Path $zip) { Remove-Item $zip -Force }
    Compress-Archive -Path $target -DestinationPath $zip
    Write-Host "Module folder: $target (Publish-Module -Path '$target' -NuGetApiKey ...)"
    Write-Host "Zip:           $zip"
}

switch ($Task) {
    'Build'   { Invoke-Build }
    'Test'    { Invoke-Test }
    'Package' { Invoke-Package }
}
