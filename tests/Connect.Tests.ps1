#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: the main sign-in flows against the sandbox tenant, run as a child process.
# Build first ('dotnet build M365Module.sln'), or run './build.ps1 -Task Test'.

BeforeDiscovery {
    # Device code is refused in non-interactive sessions (by design): those tests run only in an interactive pwsh.
    $script:NonInteractive = @([Environment]::GetCommandLineArgs() | Where-Object { $_ -match '^[-/]+noni' }).Count -gt 0
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $script:Seed = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/seed'
    $script:App = $script:Seed.apps | Where-Object { $_.clientSecret } | Select-Object -First 1
}

AfterAll {
    Stop-TestSession
}

Describe 'Connect-M365 with a device code' -Skip:$script:NonInteractive {
    It 'signs in as the sandbox user with the default app' {
        $connection = Connect-M365 -Sandbox -Name devicecode -PassThru
        $connection.AuthType | Should -Be 'DeviceCode'
        $connection.AppId | Should -Be '31359c7f-bd7e-475c-86db-fdb8c937548e'
        $connection.Identity | Should -Be $script:Seed.users[0].userPrincipalName
        (Get-M365AccessToken -Resource SharePoint).Audience | Should -Be "https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com"
        Disconnect-M365 -Name devicecode
    }
}

Describe 'A delegated connection' {
    BeforeAll {
        $admin = $script:Seed.users | Where-Object { -not $_.mfaRequired } | Select-Object -First 1
        $credential = [pscredential]::new($admin.userPrincipalName, (ConvertTo-SecureString -String $admin.password -AsPlainText -Force))
        $script:Connection = Connect-M365 -Sandbox -Credential $credential -PassThru -WarningAction SilentlyContinue
    }

    AfterAll {
        Disconnect-M365 -All
    }

    It 'signs in as the user with the default app' {
        $script:Connection.AuthType | Should -Be 'Credential'
        $script:Connection.AppId | Should -Be '31359c7f-bd7e-475c-86db-fdb8c937548e'
    }

    It 'gets tokens for Graph and SharePoint from the one sign-in' {
        $tokens = Get-M365AccessToken -Resource Graph, SharePoint
        ($tokens.Audience -join ' ') | Should -Be "https://graph.microsoft.com https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com"
        ($tokens.IdentityType -join ' ') | Should -Be 'user user'
        $tokens[1].Scopes | Should -Contain 'AllSites.FullControl'
    }

    It 'shows the connection and its resources but no token' {
        $token = (Get-M365AccessToken -Resource Graph).Token
        $text = Get-M365Connection | Format-List | Out-String
        $text | Should -Match 'https://graph.microsoft.com'
        $text | Should -Not -Match ([regex]::Escape($token))
        "$(Get-M365Connection)" | Should -Not -Match 'eyJ'
    }

    It 'completes resource names' {
        $line = 'Get-M365AccessToken -Resource SharePointA'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'SharePointAdmin'
    }

    It 'asks to sign in again when the refresh token is revoked' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/users/$($script:Connection.Identity)/revoke-refresh-tokens"
        { Get-M365AccessToken -Resource SharePointAdmin -ErrorAction Stop } | Should -Throw -ErrorId 'ReauthenticationRequired,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
    }
}

Describe 'Connect-M365 app-only' {
    AfterEach {
        Disconnect-M365 -All
    }

    It 'signs in with a client secret and refuses Yammer for app-only' {
        $secret = ConvertTo-SecureString -String $script:App.clientSecret -AsPlainText -Force
        Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $secret
        (Get-M365AccessToken -Resource Graph).IdentityType | Should -Be 'app'
        { Get-M365AccessToken -Resource Yammer -ErrorAction Stop } | Should -Throw -ErrorId 'YammerRequiresDelegatedAuth,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
    }

    It 'signs in with the app certificate' {
        Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -CertificatePath $script:App.certificatePath
        (Get-M365AccessToken -Resource SharePoint).Roles | Should -Not -BeNullOrEmpty
    }

    It 'reports a wrong secret with its own error id' {
        $wrong = ConvertTo-SecureString -String 'not-the-secret' -AsPlainText -Force
        { Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $wrong -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidClientSecret,M365.PowerShell.Cmdlets.ConnectM365Command'
    }
}

Describe 'Connect-M365 in a non-interactive session' {
    It 'fails at once instead of waiting for a device code' {
        $pwsh = Get-TestPwsh
        $script = "Import-Module '$script:Manifest'; try { Connect-M365 -Sandbox -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $output = & $pwsh.FilePath @($pwsh.Prefix) -NoProfile -NonInteractive -Command $script
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        $output | Should -Contain 'DeviceCodeNonInteractive,M365.PowerShell.Cmdlets.ConnectM365Command'
    }
}

Describe 'Get-M365Connection' {
    BeforeAll {
        $admin = $script:Seed.users | Where-Object { -not $_.mfaRequired } | Select-Object -First 1
        $credential = [pscredential]::new($admin.userPrincipalName, (ConvertTo-SecureString -String $admin.password -AsPlainText -Force))
        $script:First = Connect-M365 -Sandbox -Credential $credential -Name first -PassThru -WarningAction SilentlyContinue
        $secret = ConvertTo-SecureString -String $script:App.clientSecret -AsPlainText -Force
        $script:Second = Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $secret -Name second -PassThru
    }

    AfterAll {
        Disconnect-M365 -All
    }

    It 'returns the current connection: the last one made' {
        (Get-M365Connection).Name | Should -Be 'second'
    }

    It 'returns connections by name and all of them' {
        (Get-M365Connection -Name first).Identity | Should -Be $script:First.Identity
        (Get-M365Connection -All).Name | Should -Be @('first', 'second')
    }

    It 'writes ConnectionNameNotFound for a name it does not know, and goes on with the others' {
        $found = Get-M365Connection -Name nope, first -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'first'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ConnectionNameNotFound,M365.PowerShell.Cmdlets.GetM365ConnectionCommand'
        $failures[0].TargetObject | Should -Be 'nope'
    }
}

Describe 'Disconnect-M365' {
    BeforeEach {
        $secret = ConvertTo-SecureString -String $script:App.clientSecret -AsPlainText -Force
        $script:Connection = Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $secret -Name app -PassThru
    }

    AfterEach {
        Disconnect-M365 -All
    }

    It 'disconnects the current connection and returns it with -PassThru' {
        (Disconnect-M365 -PassThru).Name | Should -Be 'app'
        Get-M365Connection -All | Should -BeNullOrEmpty
        { Get-M365AccessToken -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNotFound,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
    }

    It 'changes nothing with -WhatIf' {
        Disconnect-M365 -Name app -WhatIf
        (Get-M365Connection).Name | Should -Be 'app'
    }

    It 'writes ConnectionNameNotFound for a name it does not know' {
        { Disconnect-M365 -Name nope -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNameNotFound,M365.PowerShell.Cmdlets.DisconnectM365Command'
        (Get-M365Connection).Name | Should -Be 'app'
    }

    It 'writes ConnectionNotFound when nothing is connected' {
        Disconnect-M365
        { Disconnect-M365 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNotFound,M365.PowerShell.Cmdlets.DisconnectM365Command'
    }
}
