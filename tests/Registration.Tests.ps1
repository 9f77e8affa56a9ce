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

    It 'refuses -AppOnly without a certificate or its password, and a malformed pipeline, before any request' {
        Clear-SandboxRequests
        { Register-M365App -Sandbox -AppOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificatePasswordRequired,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        { Register-M365App -Sandbox -GitHubRepository 'not-a-repo' -ErrorAction Stop } |
            Should -Throw -ErrorId 'FederatedCredentialInvalid,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        { Register-M365App -Sandbox -GitHubRepository 'contoso/reports' -GitHubEnvironment prod -GitHubBranch main -ErrorAction Stop } |
            Should -Throw -ErrorId 'FederatedCredentialInvalid,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        { Register-M365App -Sandbox -AzureDevOpsServiceConnection 'contoso/automation/m365' -ErrorAction Stop } |
            Should -Throw -ErrorId 'FederatedCredentialInvalid,M365.PowerShell.Cmdlets.RegisterM365AppCommand' -ExpectedMessage '*-AzureDevOpsOrganizationId*'
        { Register-M365App -Sandbox -CertificatePath (Join-Path $TestDrive 'none.cer') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateNotFound,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        $taken = New-Item -ItemType Directory (Join-Path $TestDrive 'taken')
        Set-Content (Join-Path $taken 'M365-PowerShell.pfx') 'someone else''s key'
        { Register-M365App -Sandbox -AppOnly -CertificatePassword (ConvertTo-SecureString 'x' -AsPlainText -Force) -CertificateOutputDirectory $taken -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateFileExists,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        Get-Content (Join-Path $taken 'M365-PowerShell.pfx') | Should -Be 'someone else''s key'
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

Describe 'Register-M365App -AppOnly and federated credentials' -Skip:$script:NonInteractive {
    BeforeAll {
        $null = Connect-Admin
        $script:Password = ConvertTo-SecureString 'Pfx-Passw0rd!' -AsPlainText -Force
        $script:Tenant = "$($script:Sandbox.Descriptor.tenantName).onmicrosoft.com"
        $script:PipelineVariables = @('ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_ACTIONS',
            'SYSTEM_OIDCREQUESTURI', 'SYSTEM_ACCESSTOKEN', 'TF_BUILD', 'AZURESUBSCRIPTION_SERVICE_CONNECTION_ID', 'AZURESUBSCRIPTION_CLIENT_ID', 'AZURESUBSCRIPTION_TENANT_ID',
            'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_AUTHORITY_HOST')

        function Get-AppById([string] $ObjectId, [string] $Select) {
            Invoke-M365Request -Connection admin-cli -Uri "https://graph.microsoft.com/v1.0/applications/$ObjectId`?`$select=$Select"
        }

        function Get-Assignments([string] $ServicePrincipalId) {
            @((Invoke-M365Request -Connection admin-cli -Uri "https://graph.microsoft.com/v1.0/servicePrincipals/$ServicePrincipalId/appRoleAssignments").value)
        }

        function Get-Credentials([string] $ObjectId) {
            @((Invoke-M365Request -Connection admin-cli -Uri "https://graph.microsoft.com/v1.0/applications/$ObjectId/federatedIdentityCredentials").value)
        }

        # A job of a pipeline: only its token service's variables are set.
        function Set-Pipeline([object] $Variables) {
            foreach ($name in $script:PipelineVariables) { [Environment]::SetEnvironmentVariable($name, $null) }
            if ($Variables) {
                foreach ($property in $Variables.PSObject.Properties) {
                    if ($property.Name -cmatch '^[A-Z_]+$') { [Environment]::SetEnvironmentVariable($property.Name, [string]$property.Value) }
                }
            }
        }

        function New-TestCertificate([string] $Subject) {
            $rsa = [System.Security.Cryptography.RSA]::Create(2048)
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddDays(30))
        }
    }

    AfterAll {
        Set-Pipeline $null
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/federation/reset'
        Disconnect-M365 -All -ErrorAction SilentlyContinue
    }

    It '-WhatIf lists the app, keyCredentials, federated credential and appRoleAssignedTo calls, and sends and writes none' {
        Clear-SandboxRequests
        $folder = Join-Path $TestDrive 'whatif'
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -Path $transcript
        try {
            $output = Register-M365App -Sandbox -DisplayName 'WhatIf app-only' -AppOnly -CertificatePassword $script:Password -CertificateOutputDirectory $folder `
                -GitHubRepository contoso/reports -GitHubEnvironment production -WhatIf -InformationAction SilentlyContinue
        }
        finally {
            $null = Stop-Transcript
        }
        $output | Should -BeNullOrEmpty
        Get-GraphWrites | Should -BeNullOrEmpty
        Test-Path $folder | Should -BeFalse
        $said = Get-Content -Raw $transcript
        $said | Should -Match 'POST /v1.0/applications \(create the app'
        $said | Should -Match 'to keyCredentials'
        $said | Should -Match 'federatedIdentityCredentials \(trust GitHub tokens with issuer https://token.actions.githubusercontent.com and subject repo:contoso/reports:environment:production'
        $said | Should -Match 'appRoleAssignedTo \(grant the application permission Graph/Application.Read.All'
        $said | Should -Match 'appRoleAssignedTo \(grant the application permission SharePoint/Sites.FullControl.All'
        $said | Should -Not -Match 'oauth2PermissionGrants'
        $said | Should -Not -Match 'Pfx-Passw0rd'
    }

    It 'makes a new self-signed certificate (owner-only PFX and CER), grants the app roles, and Connect-M365 -CertificatePath signs in with it' {
        $folder = Join-Path $TestDrive 'certs'
        $streams = @(Register-M365App -Sandbox -DisplayName 'M365 app-only' -AppOnly -CertificatePassword $script:Password -CertificateOutputDirectory $folder -Timeout 60 -Verbose -InformationAction SilentlyContinue 4>&1)
        $script:NewCert = $streams | Where-Object { $_ -is [M365.PowerShell.Models.M365AppRegistration] }
        $app = $script:NewCert
        # The PFX password is in no output: not in -Verbose, not in the object.
        (($streams | ForEach-Object { "$_" }) -join "`n") + ($app | Format-List * | Out-String) | Should -Not -Match 'Pfx-Passw0rd'
        (($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n") | Should -Match 'not saved as the module''s default'

        $app.AppOnly | Should -BeTrue
        $app.Saved | Should -BeFalse
        $app.Created | Should -Be @('Application', 'ServicePrincipal', 'KeyCredential', 'Roles:Graph', 'Roles:SharePoint')
        $app.PermissionsGranted | Should -Be @('Graph/Application.Read.All', 'Graph/Sites.Read.All', 'SharePoint/Sites.FullControl.All')
        $app.PermissionsPendingConsent | Should -BeNullOrEmpty
        $app.SignInReady | Should -BeTrue
        $pfx = Join-Path $folder 'M365-app-only.pfx'
        $app.CertificatePath | Should -Be $pfx
        $app.CertificatePaths | Should -Be @($pfx, (Join-Path $folder 'M365-app-only.cer'))
        foreach ($file in $app.CertificatePaths) {
            Test-Path $file | Should -BeTrue
            if (-not $IsWindows) { (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
        }
        $opened = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, $script:Password)
        $opened.HasPrivateKey | Should -BeTrue
        $opened.Thumbprint | Should -Be $app.CertificateThumbprint
        { [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, 'wrong') } | Should -Throw
        $app.ConnectCommand | Should -BeLike "Connect-M365 -Sandbox -AppId $($app.AppId) -Tenant $script:Tenant -CertificatePath '$pfx' -CertificatePassword (Read-Host -AsSecureString*"
        # Not saved as the default: a plain Connect-M365 (a user's sign-in) could not use it.
        (Get-M365Setting).AppId | Should -Not -Be $app.AppId

        # A confidential app: no public client flows, application permissions only.
        $registered = Get-AppById $app.ObjectId 'isFallbackPublicClient,publicClient,requiredResourceAccess,keyCredentials'
        $registered.isFallbackPublicClient | Should -BeFalse
        @($registered.publicClient.redirectUris) | Should -BeNullOrEmpty
        @($registered.requiredResourceAccess.resourceAccess.type | Select-Object -Unique) | Should -Be @('Role')
        @($registered.keyCredentials).Count | Should -Be 1

        $null = Connect-M365 -Sandbox -AppId $app.AppId -Tenant $script:Tenant -CertificatePath $pfx -CertificatePassword $script:Password -Name apponly -InformationAction SilentlyContinue
        (Get-M365AadSp -Connection apponly -AppId 00000003-0000-0000-c000-000000000000).DisplayName | Should -Be 'Microsoft Graph'
        $token = Get-M365AccessToken -Connection apponly -Resource Graph
        $token.IdentityType | Should -Be 'app'
        $token.Roles | Should -Contain 'Application.Read.All'
        (Get-M365AccessToken -Connection apponly -Resource SharePoint).Roles | Should -Contain 'Sites.FullControl.All'
        # Test-M365Connection finds nothing wrong with it: roles for every cmdlet, app role assignments as consent.
        $checks = @(Test-M365Connection -Connection apponly)
        @($checks | Where-Object Result -eq 'Fail' | ForEach-Object { "$($_.Check): $($_.Evidence)" }) | Should -BeNullOrEmpty
        ($checks | Where-Object Check -eq 'Consent').Evidence | Should -Match '3 app role assignment'
        ($checks | Where-Object Check -eq 'Permission:Add-M365SpoSite').Result | Should -Be 'Pass'
        Disconnect-M365 -Name apponly
    }

    It 'reruns with the PFX it wrote without duplicating the key or the assignments' {
        $again = Register-M365App -Sandbox -DisplayName 'M365 app-only' -CertificatePath $script:NewCert.CertificatePath -CertificatePassword $script:Password -Timeout 60 -InformationAction SilentlyContinue
        $again.AppId | Should -Be $script:NewCert.AppId
        $again.Created | Should -BeNullOrEmpty
        $again.Reused | Should -Be @('Application', 'ServicePrincipal', 'KeyCredential', 'Roles:Graph', 'Roles:SharePoint')
        @((Get-AppById $again.ObjectId 'keyCredentials').keyCredentials).Count | Should -Be 1
        @(Get-Assignments $again.ServicePrincipalId).Count | Should -Be 3
    }

    It 'uploads an existing certificate''s public part (.cer, then a .pem), keeping the keys the app has' {
        $first = New-TestCertificate 'CN=M365 test first'
        $cer = Join-Path $TestDrive 'first.cer'
        [IO.File]::WriteAllBytes($cer, $first.Export('Cert'))
        $app = Register-M365App -Sandbox -DisplayName 'App-only with mine' -CertificatePath $cer -Permission Minimal -Timeout 60 -InformationAction SilentlyContinue
        $app.AppOnly | Should -BeTrue
        $app.CertificateThumbprint | Should -Be $first.Thumbprint
        $app.CertificatePath | Should -BeNullOrEmpty
        $app.ConnectCommand | Should -Be "Connect-M365 -Sandbox -AppId $($app.AppId) -Tenant $script:Tenant -Thumbprint $($first.Thumbprint)"
        $app.PermissionsGranted | Should -Be @('Graph/Application.Read.All')

        $second = New-TestCertificate 'CN=M365 test second'
        $pem = Join-Path $TestDrive 'second.pem'
        $key = [Convert]::ToBase64String($second.PrivateKey.ExportPkcs8PrivateKey())
        Set-Content $pem "-----BEGIN PRIVATE KEY-----`n$key`n-----END PRIVATE KEY-----`n-----BEGIN CERTIFICATE-----`n$([Convert]::ToBase64String($second.RawData, 'InsertLineBreaks'))`n-----END CERTIFICATE-----"
        $both = Register-M365App -Sandbox -DisplayName 'App-only with mine' -CertificatePath $pem -Permission Minimal -Timeout 60 -InformationAction SilentlyContinue
        $both.Created | Should -Be @('KeyCredential')
        $keys = @((Get-AppById $both.ObjectId 'keyCredentials').keyCredentials)
        $keys.Count | Should -Be 2
        foreach ($certificate in $first, $second) {
            $null = Connect-M365 -Sandbox -AppId $app.AppId -Tenant $script:Tenant -Certificate $certificate -Name mine -InformationAction SilentlyContinue
            (Get-M365AadSp -Connection mine -AppId 00000003-0000-0000-c000-000000000000).DisplayName | Should -Be 'Microsoft Graph'
            Disconnect-M365 -Name mine
        }
    }

    It 'gives a member the app-only app and AdminConsentRequired with the admin-consent URL' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/devicecode/user' -Body @{ userPrincipalName = 'user@contoso.onmicrosoft.com' }
        try {
            $member = Register-M365App -Sandbox -DisplayName 'Member app-only' -AppOnly -CertificatePassword $script:Password -CertificateOutputDirectory (Join-Path $TestDrive 'member') `
                -Timeout 60 -ErrorVariable failures -ErrorAction SilentlyContinue -InformationAction SilentlyContinue
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/devicecode/user' -Body @{ userPrincipalName = $null }
        }
        $member.AppId | Should -Not -BeNullOrEmpty
        $member.Created | Should -Contain 'KeyCredential'
        $member.PermissionsGranted | Should -BeNullOrEmpty
        $member.PermissionsPendingConsent | Should -Be @('Graph/Application.Read.All', 'Graph/Sites.Read.All', 'SharePoint/Sites.FullControl.All')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'AdminConsentRequired,M365.PowerShell.Cmdlets.RegisterM365AppCommand'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("/v2.0/adminconsent?client_id=$($member.AppId)&scope="))
        @(Get-Assignments $member.ServicePrincipalId).Count | Should -Be 0
    }

    It 'adds a GitHub federated credential (no certificate), and Connect-M365 -FederatedIdentity works from that GitHub job' {
        $subject = 'repo:contoso/m365-reports:environment:production'
        $app = Register-M365App -Sandbox -DisplayName 'GitHub app' -GitHubRepository contoso/m365-reports -GitHubEnvironment production -Timeout 60 -InformationAction SilentlyContinue
        $app.AppOnly | Should -BeTrue
        $app.CertificateThumbprint | Should -BeNullOrEmpty
        $app.Created | Should -Be @('Application', 'ServicePrincipal', 'FederatedCredential:github-contoso-m365-reports-environment-production', 'Roles:Graph', 'Roles:SharePoint')
        $app.FederatedCredentials | Should -Be @("github-contoso-m365-reports-environment-production (https://token.actions.githubusercontent.com, $subject)")
        $app.ConnectCommand | Should -Be "Connect-M365 -Sandbox -FederatedIdentity -AppId $($app.AppId) -Tenant $script:Tenant"
        $app.PipelineSnippet | Should -Match 'id-token: write'
        $app.PipelineSnippet | Should -Match 'environment: production'
        $app.PipelineSnippet | Should -Match ([regex]::Escape("Connect-M365 -FederatedIdentity -AppId $($app.AppId) -Tenant $script:Tenant"))
        ($app | Format-List | Out-String) | Should -Match 'id-token: write'
        $credential = @(Get-Credentials $app.ObjectId)
        $credential.Count | Should -Be 1
        $credential[0].issuer | Should -Be 'https://token.actions.githubusercontent.com'
        $credential[0].subject | Should -Be $subject
        $credential[0].audiences | Should -Be @('api://AzureADTokenExchange')

        # The rerun keeps the one credential.
        (Register-M365App -Sandbox -DisplayName 'GitHub app' -GitHubRepository contoso/m365-reports -GitHubEnvironment production -Timeout 60 -InformationAction SilentlyContinue).Reused |
            Should -Contain 'FederatedCredential:github-contoso-m365-reports-environment-production'
        @(Get-Credentials $app.ObjectId).Count | Should -Be 1

        # A job of that environment: the sandbox's GitHub token service issues its subject.
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/federation/github' -Body @{ subject = $subject }
        try {
            Set-Pipeline (Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/federation').github
            $null = Connect-M365 -Sandbox -FederatedIdentity -AppId $app.AppId -Tenant $script:Tenant -Name github -InformationAction SilentlyContinue
            (Get-M365AadSp -Connection github -AppId 00000003-0000-0000-c000-000000000000).DisplayName | Should -Be 'Microsoft Graph'
            (Get-M365AccessToken -Connection github -Resource Graph).IdentityType | Should -Be 'app'
            Disconnect-M365 -Name github
        }
        finally {
            Set-Pipeline $null
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/federation/reset'
        }
        $script:GitHubApp = $app
    }

    It 'adds an Azure DevOps federated credential, and Connect-M365 -FederatedIdentity works from that service connection' {
        $federation = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/federation'
        $organizationId = ([uri]$federation.azureDevOps.issuer).Segments[-1].Trim('/')
        $subject = 'sc://contoso/automation/m365-reports'
        $app = Register-M365App -Sandbox -DisplayName 'Azure DevOps app' -AzureDevOpsServiceConnection contoso/automation/m365-reports -AzureDevOpsOrganizationId $organizationId -Timeout 60 -InformationAction SilentlyContinue
        $app.FederatedCredentials | Should -Be @("azuredevops-contoso-automation-m365-reports (https://vstoken.dev.azure.com/$organizationId, $subject)")
        $app.PipelineSnippet | Should -Match 'AzurePowerShell@5'
        $app.PipelineSnippet | Should -Match 'azureSubscription: m365-reports'
        $app.PipelineSnippet | Should -Match ([regex]::Escape('SYSTEM_ACCESSTOKEN: $(System.AccessToken)'))
        (Get-Credentials $app.ObjectId)[0].issuer | Should -Be $federation.azureDevOps.issuer

        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/federation/azureDevOps' -Body @{ subject = $subject }
        try {
            Set-Pipeline (Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/federation').azureDevOps
            $null = Connect-M365 -Sandbox -FederatedIdentity -AppId $app.AppId -Tenant $script:Tenant -Name ado -InformationAction SilentlyContinue
            (Get-M365AadSp -Connection ado -AppId 00000003-0000-0000-c000-000000000000).DisplayName | Should -Be 'Microsoft Graph'
            Disconnect-M365 -Name ado
        }
        finally {
            Set-Pipeline $null
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/federation/reset'
        }
    }

    It 'Unregister-M365App deletes app-only apps with their certificates and federated credentials' {
        $script:NewCert, $script:GitHubApp | Unregister-M365App -Sandbox -Confirm:$false -InformationAction SilentlyContinue
        Get-App appId $script:NewCert.AppId | Should -BeNullOrEmpty
        Get-App appId $script:GitHubApp.AppId | Should -BeNullOrEmpty
    }
}
