#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: every README code block marked "powershell sandbox" runs, as a user would run it, in a new pwsh with the
# module on PSModulePath (so Import-Module M365 works by name, in parallel runspaces too) against a sandbox tenant.

BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '..' 'README.md')
    $script:Blocks = @([regex]::Matches($readme, '(?ms)^\s*```powershell sandbox\s*\n(.*?)^\s*```') | ForEach-Object {
            $code = $_.Groups[1].Value
            $first = ($code -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1).Trim()
            @{ Name = $first; Code = $code }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    $script:Sandbox = Start-TestSandbox
    $script:ModuleRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' 'out')).Path
}

AfterAll {
    if ($script:Sandbox) { Stop-TestSandbox -Sandbox $script:Sandbox }
}

Describe 'The README examples' {
    It 'has sandbox examples to run' -ForEach @(@{ Count = $script:Blocks.Count }) {
        $Count | Should -BeGreaterThan 1
    }

    It 'runs the block that starts with: <Name>' -ForEach $script:Blocks {
        $pwsh = Get-TestPwsh
        $file = Join-Path $script:Sandbox.State ('readme-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$($script:ModuleRoot)' + [IO.Path]::PathSeparator + `$env:PSModulePath
`$env:M365_SANDBOX = '$($script:Sandbox.DescriptorPath)'
Import-Module M365
$Code
if (`$Error.Count) { 'README-BLOCK-ERRORS: ' + (`$Error | ForEach-Object { `$_.FullyQualifiedErrorId + ': ' + `$_ }) -join ' | ' } else { 'README-BLOCK-OK' }
"@
        $output = & $pwsh.FilePath @($pwsh.Prefix) -NoProfile -File $file 2>&1 | ForEach-Object { "$_" }
        ($output | Where-Object { $_.Trim() } | Select-Object -Last 1) | Should -Be 'README-BLOCK-OK' -Because ($output -join "`n")
    }
}
