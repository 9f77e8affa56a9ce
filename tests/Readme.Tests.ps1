#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: every README code block marked "powershell sandbox" runs, as a user would run it, in a new pwsh in the
# clone's folder, against a sandbox tenant, with the module imported by path as README's "Build and import" says and
# not on PSModulePath: a block that imports M365 by name (a parallel runspace, a job) must show how.

BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '..' 'README.md')
    $script:Blocks = @([regex]::Matches($readme, '(?ms)^\s*```powershell sandbox\s*\n(.*?)^\s*```') | ForEach-Object {
            $code = $_.Groups[1].Value
            # Named by its section and its first line that is not the sign-in, so each block's test has its own name.
            $heading = ([regex]::Matches($readme.Substring(0, $_.Index), '(?m)^#+ +(.+)$') | Select-Object -Last 1).Groups[1].Value.Trim()
            $lines = @($code -split "`n" | ForEach-Object { $_.Trim() } | Where-Object { $_ })
            $first = @($lines | Where-Object { $_ -notmatch '^Connect-M365 -Sandbox\b' }) + $lines | Select-Object -First 1
            @{ Name = "$heading, $first"; Code = $code }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    $script:Sandbox = Start-TestSandbox
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
}

AfterAll {
    if ($script:Sandbox) { Stop-TestSandbox -Sandbox $script:Sandbox }
}

Describe 'The README examples' {
    It 'has sandbox examples to run' -ForEach @(@{ Count = $script:Blocks.Count }) {
        $Count | Should -BeGreaterThan 1
    }

    It 'runs the block of <Name>' -ForEach $script:Blocks {
        $pwsh = Get-TestPwsh
        $file = Join-Path $script:Sandbox.State ('readme-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value @"
`$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath '$($script:RepoRoot)'
`$env:M365_SANDBOX = '$($script:Sandbox.DescriptorPath)'
`$env:M365_SETTINGS_DIRECTORY = '$(Join-Path $script:Sandbox.State 'settings')'
Import-Module ./out/M365/M365.psd1
$Code
if (`$Error.Count) { 'README-BLOCK-ERRORS: ' + (`$Error | ForEach-Object { `$_.FullyQualifiedErrorId + ': ' + `$_ }) -join ' | ' } else { 'README-BLOCK-OK' }
"@
        $output = & $pwsh.FilePath @($pwsh.Prefix) -NoProfile -File $file 2>&1 | ForEach-Object { "$_" }
        ($output | Where-Object { $_.Trim() } | Select-Object -Last 1) | Should -Be 'README-BLOCK-OK' -Because ($output -join "`n")
    }
}
