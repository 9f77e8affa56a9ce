#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Disconnect-M365 means disconnected, and a persisted sign-in never points the module anywhere the user did
# not ask. Runs against a sandbox started as a child process; "later sessions" are child pwsh processes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $script:CacheDirectory = $env:M365_TOKEN_CACHE_DIRECTORY
    $identity = Get-TestIdentity -Sandbox $script:Sandbox
    $script:Seed, $script:App, $script:Credential = $identity.Seed, $identity.App, $identity.Credential

    function Get-Record { Get-ChildItem -Path $script:CacheDirectory -Filter '*.connection.json' | Select-Object -First 1 }
}

AfterAll {
    Stop-TestSession
}

Describe 'Disconnect-M365 closes a connection for good' {
    It 'refuses an app-only connection held in a variable, and sends nothing' {
        $secret = ConvertTo-SecureString -String $script:App.clientSecret -AsPlainText -Force
        $c = Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $secret -PassThru
        Disconnect-M365 -Connection $c
        Clear-SandboxRequests

        { Get-M365AccessToken -Connection $c -Resource SharePoint -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionClosed,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
        $c.IsClosed | Should -BeTrue
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'refuses it in other runspaces too ($using:)' {
        $c = Connect-M365 -Sandbox -Credential $script:Credential -PassThru -WarningAction SilentlyContinue
        Disconnect-M365 -Connection $c
        $manifest = $script:Manifest
        $ids = 1..3 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            try { Get-M365AccessToken -Connection $using:c -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
        }
        $ids | Should -Be (@('ConnectionClosed,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand') * 3)
    }
}

Describe 'A persisted sign-in' {
    BeforeEach {
        $null = Connect-M365 -Sandbox -Credential $script:Credential -PersistLogin -AllowUnencryptedTokenCache -Name work -WarningAction SilentlyContinue
        # Each "later session" below is a new pwsh process: it starts from the files alone.
        Clear-SandboxRequests
    }

    AfterEach {
        Disconnect-M365 -Name work -ErrorAction SilentlyContinue
        Get-ChildItem -Path $script:CacheDirectory -ErrorAction SilentlyContinue | Remove-Item -Force
    }

    It 'resumes silently in a later session with -Sandbox' {
        $output = Invoke-InNewSession -Script '(Connect-M365 -Sandbox -Name work -PassThru).Identity'
        $output | Should -Be $script:Credential.UserName
    }

    It 'refuses a damaged record (<Damage>) with PersistedConnectionInvalid, names the file and the fix, and sends nothing' -ForEach @(
        @{ Damage = 'truncated'; Change = { param($text) $text.Substring(0, [int]($text.Length / 2)) } }
        @{ Damage = 'garbled'; Change = { param($text) 'not json at all' } }
        @{ Damage = 're-versioned'; Change = { param($text) $text -replace '"version": 1', '"version": 2' } }
        @{ Damage = 'authType 5'; Change = { param($text) $text -replace '"authType": "\w+"', '"authType": "5"' } }
    ) {
        $record = Get-Record
        Set-Content -LiteralPath $record.FullName -Value (& $Change (Get-Content -Raw $record.FullName)) -NoNewline
        $output = Invoke-InNewSession -Script 'Connect-M365 -Sandbox -Name work'
        $output | Should -Match '^ERROR PersistedConnectionInvalid,M365.PowerShell.Cmdlets.ConnectM365Command'
        $output | Should -Match ([regex]::Escape($record.Name))
        $output | Should -Match "Disconnect-M365 -Name 'work'.*Connect-M365 -PersistLogin -Name 'work'"
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'never resumes a sandbox record without -Sandbox' {
        $output = Invoke-InNewSession -Script 'Connect-M365 -Name work' -Environment @{ M365_SANDBOX = $null }
        $output | Should -Match '^ERROR PersistedConnectionInvalid,.*made with the sandbox tenant'
        $output | Should -Match 'Connect-M365 -Sandbox -Name'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'never resumes a production record on the sandbox transport' {
        $record = Get-Record
        $json = Get-Content -Raw $record.FullName | ConvertFrom-Json
        $json.usesSandbox = $false
        $json.sandboxDescriptorPath = $null
        $json | ConvertTo-Json | Set-Content -LiteralPath $record.FullName
        $output = Invoke-InNewSession -Script 'Connect-M365 -Sandbox -Name work'
        $output | Should -Match '^ERROR PersistedConnectionInvalid,.*made with the real Microsoft cloud'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'refuses a corrupt token cache with PersistedConnectionInvalid and the same fix' {
        $cache = Get-ChildItem -Path $script:CacheDirectory -Filter '*.cache' | Select-Object -First 1
        Set-Content -LiteralPath $cache.FullName -Value '{ this is not a cache' -NoNewline
        $output = Invoke-InNewSession -Script 'Connect-M365 -Sandbox -Name work'
        $output | Should -Match '^ERROR PersistedConnectionInvalid,.*token cache'
        $output | Should -Match "Disconnect-M365 -Name 'work'"
        $output | Should -Not -Match 'at Microsoft\.Identity'
    }

    It 'lets Disconnect-M365 -Name delete a damaged record in a later session' {
        $record = Get-Record
        Set-Content -LiteralPath $record.FullName -Value 'garbage'
        $output = Invoke-InNewSession -Script 'Disconnect-M365 -Name work; "deleted"'
        $output | Should -Be 'deleted'
        Get-ChildItem -Path $script:CacheDirectory | Should -BeNullOrEmpty
    }
}

Describe 'Bad input ends in a stable error id' {
    It 'a sandbox descriptor path that is a folder gives SandboxDescriptorNotFound' {
        $env:M365_SANDBOX = [IO.Path]::GetTempPath()
        try {
            { Connect-M365 -Sandbox -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxDescriptorNotFound,M365.PowerShell.Cmdlets.ConnectM365Command'
        }
        finally {
            $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
        }
    }

    It 'an endless descriptor (/dev/zero) gives SandboxDescriptorInvalid at once' -Skip:$IsWindows {
        $env:M365_SANDBOX = '/dev/zero'
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { Connect-M365 -Sandbox -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxDescriptorInvalid,M365.PowerShell.Cmdlets.ConnectM365Command'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally {
            $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
        }
    }

    It '-RefreshAhead <Value> is refused when it binds' -ForEach @(
        @{ Value = [timespan]::MaxValue }
        @{ Value = New-TimeSpan -Seconds -1 }
        @{ Value = New-TimeSpan -Hours 2 }
    ) {
        { Connect-M365 -Sandbox -Credential $script:Credential -RefreshAhead $Value -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,M365.PowerShell.Cmdlets.ConnectM365Command'
    }

    It '-Timeout bounds Get-M365AccessToken when Graph is slow (RequestTimedOut)' {
        $null = Connect-M365 -Sandbox -Credential $script:Credential -WarningAction SilentlyContinue
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ kind = 'Latency'; host = 'graph.microsoft.com'; path = '/v1.0/sites/root'; latencyMilliseconds = 30000 }
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { Get-M365AccessToken -Resource SharePoint -Timeout 2 -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestTimedOut,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 15
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults'
            Disconnect-M365 -All
        }
    }
}

Describe 'A cache folder of another user' {
    BeforeEach {
        # The folder another user made for everyone (mode 777), with the cache file pre-created (666): root's -PersistLogin
        # must not write its refresh token there, where that user could read it.
        $script:Shared = Join-Path $script:Sandbox.State ('shared-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Shared
        $script:Planted = Join-Path $script:Shared 'planted.cache'
        $null = New-Item -ItemType File -Path $script:Planted
        $script:SavedDirectory = $env:M365_TOKEN_CACHE_DIRECTORY
        $env:M365_TOKEN_CACHE_DIRECTORY = $script:Shared
    }

    AfterEach {
        $env:M365_TOKEN_CACHE_DIRECTORY = $script:SavedDirectory
        Disconnect-M365 -All -ErrorAction SilentlyContinue
        Remove-Item -Path $script:Shared -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'is refused with TokenCacheInsecure, naming the folder and the fix, and nothing is written there' -Skip:($IsWindows -or (id -u) -ne '0') {
        chmod 666 $script:Planted
        chmod 777 $script:Shared
        chown 65534 $script:Planted $script:Shared

        { Connect-M365 -Sandbox -Credential $script:Credential -PersistLogin -AllowUnencryptedTokenCache -Name work -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'TokenCacheInsecure,M365.PowerShell.Cmdlets.ConnectM365Command'
        $failure = $Error[0]
        $failure.CategoryInfo.Category | Should -Be 'SecurityError'
        $failure.TargetObject | Should -Be $script:Shared
        $failure.Exception.Message | Should -Match 'belongs to another user'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'M365_TOKEN_CACHE_DIRECTORY'
        @(Get-ChildItem -Path $script:Shared -Force).Name | Should -Be 'planted.cache'
        (Get-Item $script:Shared).UnixMode | Should -Be 'drwxrwxrwx'
        Get-M365Connection -All | Should -BeNullOrEmpty
    }
}
