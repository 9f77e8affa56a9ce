#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Register-M365App and Unregister-M365App in real pwsh against a sandbox tenant started as a child process,
# from its seed (no app registered yet), checked against the sandbox's Graph and its request log.

BeforeDiscovery {
    # The bootstrap sign-in is a device code, refused in non-interactive sessions (by design).
    $script:NonInteractive = @([Environment]::GetCommandLineArgs() | Where-Object { $_ -match '^[-/]+noni' }).Count -gt 0
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $script:AzureCli = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'

    # An administrator's connection with the Azure CLI app (pre-authorized for Application.ReadWrite.All and
    # DelegatedPermissionGrant.ReadWrite.All): the tests' own view of the directory, and how they break a registration.
    function Connect-Admin {
        Connect-M365 -Sandbox -AppId $script:AzureCli -Name admin-cli -PassThru -InformationAction SilentlyContinue
    }

    function Get-App([string] $Property, [string] $Value) {
        $filter = [uri]::EscapeDataString("$Property eq '$Value'")
        @((Invoke-M365Request -Connection admin-cli -Uri "https://graph.microsoft.com/v1.0/applications?`$filter=$filter").value)
    }

    function Get-GraphWrites {
        @(Get-SandboxRequests | Where-Object { $_.host -eq 'graph.microsoft.com' -and $_.method -ne 'GET' })
    }
}

AfterAll {
    Stop-TestSession
}

Describe 'Register-M365App before any sign-in' {
    It 'refuses a -Permission value that is not a preset nor resource/name, sending nothing' {
        Clear-SandboxRequests
        { Register-M365App -Sandbox -Permission 'User.Read' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PermissionNotFound,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        @(Get-SandboxRequests).Count | Should -Be 0
    }

    It 'refuses the bootstrap device code in a non-interactive session' -Skip:(-not $script:NonInteractive) {
        { Register-M365App -Sandbox -Permission Minimal -ErrorAction Stop } |
            Should -Throw -ErrorId 'DeviceCodeNonInteractive,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
    }
}

Describe 'Register-M365App and Unregister-M365App' -Skip:$script:NonInteractive {
    BeforeAll {
        $null = Connect-Admin
    }

    AfterAll {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
    }

    It '-WhatIf lists each Graph write and sends none' {
        Clear-SandboxRequests
        $output = Register-M365App -Sandbox -DisplayName 'WhatIf app' -WhatIf -InformationAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        Get-GraphWrites | Should -BeNullOrEmpty
        @(Get-SandboxRequests | Where-Object { $_.host -eq 'graph.microsoft.com' -and $_.path -eq '/v1.0/servicePrincipals' }).Count | Should -BeGreaterThan 0
        Get-App displayName 'WhatIf app' | Should -BeNullOrEmpty
    }

    It 'registers the app from the seed, and a plain Connect-M365 -AppId then works with its tokens' {
        $script:App = Register-M365App -Sandbox -Timeout 60 -InformationAction SilentlyContinue
        $script:App.PSObject.TypeNames[0] | Should -Be 'M365.PowerShell.Models.M365AppRegistration'
        $script:App.DisplayName | Should -Be 'M365 PowerShell'
        $script:App.Created | Should -Be @('Application', 'ServicePrincipal', 'Grant:SharePoint', 'Grant:Graph', 'Grant:Management', 'Grant:AzureServiceManagement', 'Grant:Yammer')
        $script:App.PermissionsGranted | Should -Contain 'SharePoint/AllSites.FullControl'
        $script:App.PermissionsPendingConsent | Should -BeNullOrEmpty
        $script:App.SignInReady | Should -BeTrue
        $script:App.TenantId | Should -Be $script:Sandbox.Descriptor.tenantId
        # The bootstrap sign-in is not a connection of the session.
        @(Get-M365Connection -All | Where-Object Name -ne 'admin-cli').Count | Should -Be 0

        # Saved as the module's defaults: the app id and the tenant's initial domain (which also names the SharePoint host,
        # as the default set, the issue's list, has no Graph Sites.Read.All to learn it from).
        $script:App.Saved | Should -BeTrue
        $script:App.TenantDomain | Should -Be "$($script:Sandbox.Descriptor.tenantName).onmicrosoft.com"
        $setting = Get-M365Setting
        $setting.AppId | Should -Be $script:App.AppId
        $setting.Tenant | Should -Be $script:App.TenantDomain
        (Get-Content -Raw (Join-Path $env:M365_SETTINGS_DIRECTORY 'settings.json')) | Should -Not -Match 'eyJ'

        # A plain Connect-M365 signs in with the new app.
        $connection = Connect-M365 -Sandbox -Name mine -PassThru -InformationAction SilentlyContinue
        $connection.AppId | Should -Be $script:App.AppId
        $connection.AppIdSource | Should -Be 'Setting'
        (Get-M365AadSp -Connection mine -AppId 00000003-0000-0000-c000-000000000000).DisplayName | Should -Be 'Microsoft Graph'
        (Get-M365SpoSite -Connection mine -Url "https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com").Url | Should -Match 'sharepoint.com'
        (Invoke-M365Request -Connection mine -Service Graph v1.0/me).userPrincipalName | Should -Match '^admin@'
        (Get-M365AccessToken -Connection mine -Resource Graph).Scopes | Should -Contain 'Group.ReadWrite.All'
        # Test-M365Connection finds nothing wrong with the registered app: public client flows, http://localhost, consent.
        $checks = @(Test-M365Connection -Connection mine)
        @($checks | Where-Object Result -ne 'Pass' | ForEach-Object { "$($_.Check): $($_.Evidence)" }) | Should -BeNullOrEmpty
        ($checks | Where-Object Check -eq 'PublicClientFlows').Result | Should -Be 'Pass'
        ($checks | Where-Object Check -eq 'Consent').Result | Should -Be 'Pass'
        Disconnect-M365 -Name mine
    }

    It 'reuses the app on a rerun, never duplicating it' {
        $again = Register-M365App -Sandbox -Timeout 60 -InformationAction SilentlyContinue
        $again.AppId | Should -Be $script:App.AppId
        $again.Created | Should -BeNullOrEmpty
        $again.Reused | Should -Contain 'Application'
        @(Get-App displayName 'M365 PowerShell').Count | Should -Be 1
    }

    It 'finishes a registration left half-done (no grants, then no service principal)' {
        $sp = (Invoke-M365Request -Connection admin-cli -Uri "https://graph.microsoft.com/v1.0/servicePrincipals?`$filter=appId eq '$($script:App.AppId)'").value[0]
        $grants = (Invoke-M365Request -Connection admin-cli -Uri "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?`$filter=clientId eq '$($sp.id)'").value
        $grants | Select-Object -First 2 | ForEach-Object { $null = Invoke-M365Request -Connection admin-cli -Method DELETE -Uri "https://graph.microsoft.com/v1.0/oauth2PermissionGrants/$($_.id)" }
        $fixed = Register-M365App -Sandbox -Timeout 60 -InformationAction SilentlyContinue
        @($fixed.Created | Where-Object { $_ -like 'Grant:*' }).Count | Should -Be 2
        $fixed.PermissionsGranted.Count | Should -Be $script:App.PermissionsGranted.Count

        $null = Invoke-M365Request -Connection admin-cli -Method DELETE -Uri "https://graph.microsoft.com/v1.0/servicePrincipals/$($sp.id)"
        $fixed = Register-M365App -Sandbox -Timeout 60 -InformationAction SilentlyContinue
        $fixed.AppId | Should -Be $script:App.AppId
        $fixed.Created | Should -Contain 'ServicePrincipal'
        $fixed.Reused | Should -Contain 'Application'
        $null = Connect-M365 -Sandbox -AppId $fixed.AppId -Name again -InformationAction SilentlyContinue
        (Invoke-M365Request -Connection again -Service Graph v1.0/me).userPrincipalName | Should -Match '^admin@'
        Disconnect-M365 -Name again
    }

    It 'says what is missing when a step fails halfway, and the rerun finishes it' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ host = 'graph.microsoft.com'; path = '/v1.0/servicePrincipals'; method = 'POST'; status = 500; times = 20 }
        try {
            { Register-M365App -Sandbox -DisplayName 'Halfway app' -Permission Minimal -NoSave -Timeout 60 -ErrorAction Stop -InformationAction SilentlyContinue } |
                Should -Throw -ErrorId 'AppRegistrationIncomplete,M365.PowerShell.Cmdlets.RegisterM365AppCommand' -ExpectedMessage '*before its service principal and consent to Graph*'
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults'
        }
        @(Get-App displayName 'Halfway app').Count | Should -Be 1
        $done = Register-M365App -Sandbox -DisplayName 'Halfway app' -Permission Minimal -NoSave -Timeout 60 -InformationAction SilentlyContinue
        $done.Reused | Should -Be @('Application')
        $done.Created | Should -Be @('ServicePrincipal', 'Grant:Graph')
        $done.PermissionsGranted | Should -Be @('Graph/User.Read')
    }

    It 'ends the replication wait at -Timeout with AppReplicationTimedOut, and the app is kept' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/apps/replication' -Body @{ seconds = 600 }
        try {
            { Register-M365App -Sandbox -DisplayName 'Never ready' -Permission Minimal -NoSave -Timeout 4 -ErrorAction Stop -InformationAction SilentlyContinue } |
                Should -Throw -ErrorId 'AppReplicationTimedOut,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/apps/replication' -Body @{ seconds = 0 }
        }
        @(Get-App displayName 'Never ready').Count | Should -Be 1
    }

    It 'names the resource and the closest names for an unknown permission, before any write' {
        Clear-SandboxRequests
        { Register-M365App -Sandbox -Permission Graph/User.Reed -ErrorAction Stop -InformationAction SilentlyContinue } |
            Should -Throw -ErrorId 'PermissionNotFound,M365.PowerShell.Cmdlets.RegisterM365AppCommand' -ExpectedMessage "*Graph has no delegated permission 'User.Reed'*User.Read*"
        Get-GraphWrites | Should -BeNullOrEmpty
    }

    It 'leaves an app of the same name it did not make alone, unless -Force' {
        $theirs = Invoke-M365Request -Connection admin-cli -Method POST -Uri https://graph.microsoft.com/v1.0/applications -Body @{ displayName = 'Someone else' }
        { Register-M365App -Sandbox -DisplayName 'Someone else' -ErrorAction Stop -InformationAction SilentlyContinue } |
            Should -Throw -ErrorId 'AppRegistrationNotOwned,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        Unregister-M365App -Sandbox -AppId $theirs.appId -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -InformationAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'AppRegistrationNotOwned,M365.PowerShell.Cmdlets.UnregisterM365AppCommand'
        @(Get-App appId $theirs.appId).Count | Should -Be 1

        $taken = Register-M365App -Sandbox -DisplayName 'Someone else' -Permission Minimal -Force -NoSave -Timeout 60 -InformationAction SilentlyContinue
        $taken.AppId | Should -Be $theirs.appId
        $taken.Reused | Should -Contain 'Application'
    }

    It 'waits out the replication delay before reporting success' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/apps/replication' -Body @{ seconds = 5 }
        try {
            Clear-SandboxRequests
            $slow = Register-M365App -Sandbox -DisplayName 'Slow app' -Permission Minimal -NoSave -Timeout 60 -InformationAction SilentlyContinue
            $slow.SignInReady | Should -BeTrue
            $probes = @(Get-SandboxRequests | Where-Object { $_.path -like '*/oauth2/v2.0/devicecode' })
            # The bootstrap sign-in's own device code, then the probes: at least one refused (700016) and the last one answered.
            ($probes | Where-Object status -eq 400).Count | Should -BeGreaterThan 0
            $probes[-1].status | Should -Be 200
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/apps/replication' -Body @{ seconds = 0 }
        }
    }

    It 'gives a member the app and AdminConsentRequired with the admin-consent URL' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/devicecode/user' -Body @{ userPrincipalName = 'user@contoso.onmicrosoft.com' }
        try {
            $member = Register-M365App -Sandbox -DisplayName 'Member app' -NoSave -Timeout 60 -ErrorVariable failures -ErrorAction SilentlyContinue -InformationAction SilentlyContinue
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/devicecode/user' -Body @{ userPrincipalName = $null }
        }
        $member.AppId | Should -Not -BeNullOrEmpty
        $member.Saved | Should -BeFalse
        (Get-M365Setting).AppId | Should -Be $script:App.AppId
        $member.PermissionsGranted | Should -BeNullOrEmpty
        $member.PermissionsPendingConsent | Should -Contain 'Graph/Group.ReadWrite.All'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'AdminConsentRequired,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("https://login.microsoftonline.com/$($member.TenantId)/v2.0/adminconsent?client_id=$($member.AppId)&scope="))
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'redirect_uri=https%3A%2F%2Flogin.microsoftonline.com%2Fcommon%2Foauth2%2Fnativeclient'
        @(Get-App appId $member.AppId).Count | Should -Be 1
    }

    It 'Unregister-M365App deletes the app Register-M365App made, piped from its output' {
        $script:App | Unregister-M365App -Sandbox -Confirm:$false -InformationAction SilentlyContinue
        Get-App appId $script:App.AppId | Should -BeNullOrEmpty
        # It was the saved default: forgotten with it.
        (Get-M365Setting).AppId | Should -BeNullOrEmpty
        (Get-M365Setting).Tenant | Should -BeNullOrEmpty
        Unregister-M365App -Sandbox -AppId $script:App.AppId -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -InformationAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'AppRegistrationNotFound,M365.PowerShell.Cmdlets.UnregisterM365AppCommand'
    }
}
