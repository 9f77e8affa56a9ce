#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: the module as users meet it, imported from the built folder out/M365/ (run 'dotnet build M365Module.sln' first,
# or './build.ps1 -Task Test', which builds and then runs these files in a child pwsh).

BeforeAll {
    $script:ModuleFolder = Join-Path $PSScriptRoot '..' 'out' 'M365'
    $script:Manifest = Join-Path $script:ModuleFolder 'M365.psd1'
    if (-not (Test-Path $script:Manifest)) {
        throw "The module folder was not built: $script:Manifest is missing. Run 'dotnet build M365Module.sln'."
    }
    $props = Get-Content -Raw (Join-Path $PSScriptRoot '..' 'Directory.Build.props')
    $script:BuildVersion = [version]([regex]::Match($props, '<Version>([^<]+)</Version>').Groups[1].Value)
}

Describe 'M365 module foundation' {
    It 'has a valid manifest stamped with the build version' {
        $info = Test-ModuleManifest -Path $script:Manifest -ErrorAction Stop
        $info.Version | Should -Be $script:BuildVersion
        $info.RootModule | Should -Be 'M365.dll'
        $info.CompatiblePSEditions | Should -Contain 'Desktop'
        $info.CompatiblePSEditions | Should -Contain 'Core'
        $info.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $module = Import-Module $script:Manifest -Force -PassThru -ErrorAction Stop
        $listed = @((Import-PowerShellDataFile $script:Manifest).CmdletsToExport)
        (@($module.ExportedCmdlets.Keys | Sort-Object) -join ',') | Should -Be (@($listed | Sort-Object) -join ',')
        $module.ExportedCmdlets.Count | Should -BeGreaterThan 0
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'uses approved verbs only' {
        $module = Import-Module $script:Manifest -Force -PassThru -ErrorAction Stop
        $approved = (Get-Verb).Verb
        foreach ($name in $module.ExportedCmdlets.Keys) {
            ($name -split '-', 2)[0] | Should -BeIn $approved -Because "$name must use an approved verb"
        }
    }

    It 'keeps every list in the manifest one comma-separated expression, so Import-Module reads it as data' {
        # A list written as one item per line without commas is a list of statements: PowerShell then evaluates the
        # whole manifest as a script instead of reading it as data, which cost M365's import about 9 ms
        # (dotnet run -c Release --project bench/M365.Bench -- --scenarios import).
        foreach ($path in $script:Manifest, (Join-Path $PSScriptRoot '..' 'M365.psd1')) {
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path $path).Path, [ref] $tokens, [ref] $errors)
            $errors | Should -BeNullOrEmpty
            $lists = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.ArrayExpressionAst] }, $true))
            $lists.Count | Should -BeGreaterThan 3
            $statements = @($lists | Where-Object { $_.SubExpression.Statements.Count -gt 1 } | ForEach-Object { $_.Extent.Text })
            $statements | Should -BeNullOrEmpty -Because "$path must list items with commas"
        }
    }

    It 'imports again in a second runspace of the same process' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $script:Manifest).AddParameter('PassThru', $true)
            $result = $ps.Invoke()
            $ps.Streams.Error.Count | Should -Be 0
            $result[0].Version | Should -Be $script:BuildVersion
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'Help and test coverage for every exported cmdlet' {
    BeforeDiscovery {
        # The source manifest: discovery must work before anything is built.
        $source = Join-Path $PSScriptRoot '..' 'M365.psd1'
        $script:Cmdlets = @((Import-PowerShellDataFile $source).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    }

    BeforeAll {
        Import-Module $script:Manifest -Force -ErrorAction Stop
        $script:PesterText = (Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' |
            Where-Object Name -ne 'Module.Tests.ps1' | ForEach-Object { Get-Content -Raw $_.FullName }) -join "`n"
    }

    It 'Get-Help <Name> -Full shows a synopsis, a description and at least one example' -ForEach $script:Cmdlets {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name \["   # the synopsis PowerShell makes up when there is no help
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.Examples.Example) {
            $example.Code | Should -Match ([regex]::Escape($Name))
        }
        (Get-Help $Name -Full | Out-String) | Should -Match 'EXAMPLE 1|Example 1'
    }

    It 'Get-Help <Name> examples use one prompt style and real-looking device codes' -ForEach $script:Cmdlets {
        foreach ($example in (Get-Help $Name -Full).Examples.Example) {
            $lines = @($example.Code -split "`r?`n" | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^PS> ' -Because 'every example starts at a PS> prompt'
            foreach ($code in [regex]::Matches($example.Code, 'enter the code (\S+) to authenticate')) {
                $code.Groups[1].Value | Should -Match '^[A-Z0-9]{9}$' -Because 'Entra ID device codes are 9 characters'
            }
        }
    }

    It '<Name> names no M365.Core type in its parameters or OutputType (PowerShell reads them before the private context is bridged)' -ForEach $script:Cmdlets {
        $command = Get-Command $Name
        foreach ($parameter in $command.Parameters.Values) {
            $type = $parameter.ParameterType
            while ($type.HasElementType -or ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Nullable`1])) {
                $type = if ($type.HasElementType) { $type.GetElementType() } else { $type.GetGenericArguments()[0] }
            }
            $type.Assembly.GetName().Name | Should -Not -Be 'M365.Core' -Because "-$($parameter.Name) of $Name"
        }
        foreach ($output in $command.OutputType) {
            if ($output.Type) { $output.Type.Assembly.GetName().Name | Should -Not -Be 'M365.Core' }
        }
    }

    It 'Get-Help <Name> names each parameter''s real type, in the syntax and in the parameter list' -ForEach $script:Cmdlets {
        # The help is hand-written: a type changed in code (a SecureString, a PowerShell-facing model) must change here too.
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        # A parameter set without parameters (Get-M365Connection alone) has a syntax item without a parameter list.
        $shown = @($help.parameters.parameter) + @($help.syntax.syntaxItem | ForEach-Object { if ($_.PSObject.Properties['parameter']) { $_.parameter } })
        $shown.Count | Should -BeGreaterThan 0
        foreach ($entry in $shown) {
            $type = $command.Parameters[$entry.name].ParameterType
            $type | Should -Not -BeNullOrEmpty -Because "the help of $Name lists -$($entry.name)"
            $inner = if ([Nullable]::GetUnderlyingType($type)) { [Nullable]::GetUnderlyingType($type) } else { $type }
            $expected = if ($inner.IsArray) { $inner.GetElementType().Name + '[]' } else { $inner.Name }
            if ($type -ne [switch]) {
                "$($entry.parameterValue)" | Should -Be $expected -Because "-$($entry.name) of $Name takes $type"
            }
            if ($entry.type.name) {
                $full = if ($inner -ne $type) { 'System.Nullable`1[' + $inner.FullName + ']' } else { $type.FullName }
                $entry.type.name | Should -Be $full -Because "-$($entry.name) of $Name"
            }
        }
    }

    It '<Name> has a HelpUri only for a real page: none, as no online help is published yet' -ForEach $script:Cmdlets {
        # Get-Help -Online opens the cmdlet's HelpUri, else the first link of its help: a made-up page is worse than none.
        # When real pages exist, accept an https URL here that answers, and keep refusing any other.
        (Get-Command $Name).HelpUri | Should -BeNullOrEmpty
        $help = [xml](Get-Content -Raw (Join-Path $script:ModuleFolder 'en-US' 'M365.dll-Help.xml'))
        $names = [System.Xml.XmlNamespaceManager]::new($help.NameTable)
        $names.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $names.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $entry = $help.SelectSingleNode("//command:command[command:details/command:name = '$Name']", $names)
        $entry | Should -Not -BeNullOrEmpty
        @($entry.SelectNodes('.//maml:uri', $names) | Where-Object { $_.InnerText.Trim() }) | Should -BeNullOrEmpty
    }

    It '<Name> has a Pester test of its main flow and of one of its error ids' -ForEach $script:Cmdlets {
        $class = 'M365.PowerShell.Cmdlets.' + ($Name -replace '-', '') + 'Command'
        $runs = $script:PesterText -match "(?m)^\s*(\$\w+ = |\(|\{ )?$([regex]::Escape($Name))\b"
        $runs | Should -BeTrue -Because "a Pester file must run $Name"
        $checksErrorId = $script:PesterText -match "'\w+,$([regex]::Escape($class))'"
        $checksErrorId | Should -BeTrue -Because "a Pester file must check an error id of $Name ('<Id>,$class')"
    }
}

Describe 'about_M365' {
    BeforeAll { Import-Module $script:Manifest -Force -ErrorAction Stop }

    It 'explains the environment variables, the app id, the errors, persistence and the sandbox' {
        $text = Get-Help about_M365 | Out-String
        foreach ($topic in 'CLIMICROSOFT365_AADAPPID', 'CLIMICROSOFT365_ENTRAAPPID', 'M365_SANDBOX', 'M365_TOKEN_CACHE_DIRECTORY',
            '31359c7f-bd7e-475c-86db-fdb8c937548e', '2024', 'PersistedConnectionInvalid', 'ConnectionClosed', '-PersistLogin', 'Connect-M365 -Sandbox') {
            $text | Should -Match ([regex]::Escape($topic))
        }
        $text | Should -Not -Match 'dotnet run'
    }
}

Describe 'The manifest is ready for the Gallery' {
    It 'is a preview while the version is 0.x, with release notes from CHANGELOG.md and a LICENSE in the folder' {
        $data = Import-PowerShellDataFile $script:Manifest
        $psData = $data.PrivateData.PSData
        if ($script:BuildVersion.Major -eq 0) { $psData.Prerelease | Should -Be 'preview' }
        $psData.ReleaseNotes | Should -Match 'Connect-M365'
        $changelog = Get-Content -Raw (Join-Path $PSScriptRoot '..' 'CHANGELOG.md')
        $changelog | Should -Match "## $([regex]::Escape($script:BuildVersion.ToString()))"
        Join-Path $script:ModuleFolder 'LICENSE' | Should -Exist
        Join-Path $script:ModuleFolder 'CHANGELOG.md' | Should -Exist
        Join-Path $script:ModuleFolder 'en-US' 'about_M365.help.txt' | Should -Exist
        (Get-Content -Raw (Join-Path $script:ModuleFolder 'LICENSE')) | Should -Match 'MIT License'
    }
}
