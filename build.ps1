#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the M365 module.
.DESCRIPTION
    Build   (default) dotnet build; lays out the module folder out/M365/.
    Test    dotnet test M365Module.sln, the README's test command: every xunit project, and every tests/*.Tests.ps1
            in real pwsh 7.6.9 (the tool pinned in .config/dotnet-tools.json) with Pester 5.9.1 from NuGet, once
            interactive and once -NonInteractive (tests/M365.Pester.Tests runs them in child processes).
    Pester  only the Pester files, with Pester's detailed output, in a child pwsh of the pinned tool
            (so this session never locks M365.dll).
    Package a Release build copied to artifacts/M365/ (ready for Publish-Module -Path) and a versioned zip.
    On machines without pwsh, 'dotnet build M365Module.sln' and 'dotnet test M365Module.sln' do everything.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package')]
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
}

function Invoke-PesterTask {
    Invoke-Build
    # The Pester package comes from NuGet (a PackageDownload of tests/M365.Pester.Tests), never from the Gallery.
    Invoke-Dotnet -Arguments @('tool', 'restore')
    Invoke-Dotnet -Arguments @('restore', (Join-Path $root 'tests' 'M365.Pester.Tests'))
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $project = [xml](Get-Content -Raw (Join-Path $root 'tests' 'M365.Pester.Tests' 'M365.Pester.Tests.csproj'))
    $version = @($project.Project.PropertyGroup.PesterVersion | Where-Object { $_ })[0]
    $pester = Join-Path $packages.Trim() 'pester' $version 'tools' 'Pester.psd1'
    # A child pwsh of the pinned tool, so this session never locks the module's dll.
    & dotnet pwsh -NoProfile -File (Join-Path $root 'tests' 'Invoke-PesterSuite.ps1') -PesterModule $pester
    if ($LASTEXITCODE -ne 0) {
        throw 'Pester reported failed tests (see above).'
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
    'Pester'  { Invoke-PesterTask }
    'Package' { Invoke-Package }
}
