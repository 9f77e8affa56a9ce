#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Test-M365Connection on a healthy connection and on broken ones (withdrawn consent, an app-only connection
# without its roles, an expired access token, a revoked refresh token), against a sandbox started as a child process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $identity = Get-TestIdentity -Sandbox $script:Sandbox
    $script:Seed, $script:App, $script:Secret, $script:Credential = $identity.Seed, $identity.App, $identity.Secret, $identity.Credential
    $script:PnP = '31359c7f-bd7e-475c-86db-fdb8c937548e'

    function Get-Check($Checks, [string] $Name, [string] $Resource) {
        @($Checks | Where-Object { $_.Check -eq $Name -and (-not $Resource -or $_.Resource -eq $Resource) })
    }
}

AfterAll {
    Stop-TestSession
}

Describe 'Test-M365Connection' {
    AfterEach {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($script:PnP)/restore-consent"
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($script:App.appId)/restore-consent"
    }

    It 'passes a healthy delegated connection, one typed object per check, with no token anywhere in its output' {
        $connection = Connect-M365 -Sandbox -Credential $script:Credential -AppId $script:PnP -PassThru -WarningAction SilentlyContinue
        Clear-SandboxRequests

        $checks = Test-M365Connection -Resource Graph, SharePoint

        $checks | Should -Not -BeNullOrEmpty
        $checks | ForEach-Object { $_ | Should -BeOfType ([M365.PowerShell.Models.M365ConnectionCheck]) }
        @($checks | Where-Object Result -eq 'Fail') | Should -BeNullOrEmpty
        foreach ($name in 'AppId', 'Tenant', 'Cloud', 'SignInType', 'ModuleVersion', 'PowerShellVersion', 'TokenCache', 'AppRegistration', 'PublicClientFlows', 'RedirectUri', 'Consent', 'SessionErrors') {
            Get-Check $checks $name | Should -HaveCount 1 -Because "the $name check"
        }
        (Get-Check $checks 'AppId').Evidence | Should -Match 'AppIdSource Parameter'
        (Get-Check $checks 'Token' 'SharePoint').Result | Should -Be 'Pass'
        (Get-Check $checks 'Permissions' 'SharePoint').Evidence | Should -Match 'AllSites\.FullControl'
        (Get-Check $checks 'CAE' 'Graph').Evidence | Should -Match 'xms_cc cp1'
        (Get-Check $checks 'Permission:Add-M365SpoSite').Result | Should -Be 'Pass'
        (Get-Check $checks 'ModuleVersion').Evidence | Should -Be (Get-Module M365).Version.ToString()

        $text = ($checks | Format-List * | Out-String) + ($checks | Out-String)
        foreach ($resource in 'Graph', 'SharePoint') {
            $token = (Get-M365AccessToken -Resource $resource).Token
            $text | Should -Not -Match ([regex]::Escape($token.Split('.')[1]))
        }
        @(Get-SandboxRequests | Where-Object { $_.method -ne 'GET' -and -not $_.grantType }) | Should -BeNullOrEmpty -Because 'only token requests and reads are sent'
        ($checks | Out-String) | Should -Match 'Check\s+Result\s+Resource'
    }

    It 'fails the token check with ConsentRequired when consent was withdrawn, and lists the AADSTS code with its fix' {
        $null = Connect-M365 -Sandbox -Credential $script:Credential -AppId $script:PnP -WarningAction SilentlyContinue
        $null = Get-M365AccessToken -Resource SharePoint
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($script:PnP)/withdraw-consent?resource=sharepoint"

        $checks = Test-M365Connection -ErrorAction Stop

        $token = Get-Check $checks 'Token' 'SharePoint'
        $token.Result | Should -Be 'Fail'
        $token.Evidence | Should -Match 'ConsentRequired \(AADSTS65001\)'
        $token.Fix | Should -Match 'consent'
        (Get-Check $checks 'SessionErrors').Evidence | Should -Match 'AADSTS65001'
        (Get-Check $checks 'Token' 'Graph').Result | Should -Be 'Pass'
    }

    It 'fails Permission:Get-M365AadSp for an app-only connection without its roles, naming the role to add' {
        $null = Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $script:Secret
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($script:App.appId)/withdraw-consent?resource=graph"

        $checks = Test-M365Connection

        $permission = Get-Check $checks 'Permission:Get-M365AadSp'
        $permission.Result | Should -Be 'Fail'
        $permission.Fix | Should -Match 'Application\.Read\.All.*\(Application\)'
        (Get-Check $checks 'Permissions' 'Graph').Result | Should -Be 'Warning'
        $registration = Get-Check $checks 'AppRegistration'
        $registration.Result | Should -Be 'Warning'
        $registration.Evidence | Should -Match '403'
    }

    It 'fails the token check of an expired access token connection with AccessTokenExpired' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/lifetimes' -Body @{ accessTokenSeconds = 2 }
        try {
            $user = Connect-M365 -Sandbox -Credential $script:Credential -AppId $script:PnP -PassThru -Name issuer -WarningAction SilentlyContinue
            $plain = (Get-M365AccessToken -Connection $user -Resource Graph).Token
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/lifetimes' -Body @{ accessTokenSeconds = 3600 }
        }
        $tokenConnection = Connect-M365 -Sandbox -AccessToken $plain -PassThru -Name supplied
        Start-Sleep -Seconds 3

        $checks = Test-M365Connection -Connection $tokenConnection

        $token = Get-Check $checks 'Token' 'Graph'
        $token.Result | Should -Be 'Fail'
        $token.Evidence | Should -Match 'AccessTokenExpired'
        (Get-Check $checks 'SignInType').Result | Should -Be 'Warning'
        ($checks | Out-String) | Should -Not -Match ([regex]::Escape($plain.Split('.')[1]))
    }

    It 'fails every token check with ReauthenticationRequired after the refresh token was revoked' {
        $connection = Connect-M365 -Sandbox -Credential $script:Credential -AppId $script:PnP -PassThru -WarningAction SilentlyContinue
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/users/$($connection.Identity)/revoke-refresh-tokens"

        $checks = Test-M365Connection -Connection $connection -Resource Graph

        $token = Get-Check $checks 'Token' 'Graph'
        $token.Result | Should -Be 'Fail'
        $token.Evidence | Should -Match 'ReauthenticationRequired'
        $token.Fix | Should -Match 'Connect-M365'
        (Get-Check $checks 'Permission:Get-M365AadSp').Result | Should -Be 'Warning'
    }

    It 'writes ResourceNameUnknown for an unknown -Resource and still checks the others' {
        $null = Connect-M365 -Sandbox -AppId $script:App.appId -Tenant $script:Seed.tenantId -ClientSecret $script:Secret

        $checks = Test-M365Connection -Resource NoSuchService, Graph -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems[0].FullyQualifiedErrorId | Should -Be 'ResourceNameUnknown,M365.PowerShell.Cmdlets.TestM365ConnectionCommand'
        (Get-Check $checks 'Token' 'Graph').Result | Should -Be 'Pass'
        { Test-M365Connection -Resource NoSuchService -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResourceNameUnknown,M365.PowerShell.Cmdlets.TestM365ConnectionCommand'
    }

    It 'stops with ConnectionNotFound when there is no connection' {
        Disconnect-M365 -All
        { Test-M365Connection -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNotFound,M365.PowerShell.Cmdlets.TestM365ConnectionCommand'
    }
}

Describe 'Test-M365Connection on a broken app registration' {
    BeforeAll {
        $script:Graph = 'https://graph.microsoft.com/v1.0'
        # The tests' own view of the directory: an administrator with the Azure CLI app (pre-authorized for
        # Application.ReadWrite.All and DelegatedPermissionGrant.ReadWrite.All).
        $null = Connect-M365 -Sandbox -Credential $script:Credential -AppId '04b07795-8ddb-461a-bbee-02f9e1bf7b46' -Name admin-cli -WarningAction SilentlyContinue
        $script:GraphSp = (Invoke-M365Request -Connection admin-cli -Uri "$script:Graph/servicePrincipals?`$filter=appId eq '00000003-0000-0000-c000-000000000000'").value[0].id

        # A public-client app made through Graph, consented, and signed in to (password sign-in, a public client flow);
        # then broken through Graph as the test asks, with the connection's Graph token still good.
        function New-BrokenConnection([string] $Name, [hashtable] $Patch, [switch] $WithdrawConsent) {
            $app = Invoke-M365Request -Connection admin-cli -Method POST -Uri "$script:Graph/applications" -Body @{
                displayName = $Name; signInAudience = 'AzureADMyOrg'; isFallbackPublicClient = $true
                publicClient = @{ redirectUris = @('http://localhost', 'https://login.microsoftonline.com/common/oauth2/nativeclient') }
            }
            $sp = Invoke-M365Request -Connection admin-cli -Method POST -Uri "$script:Graph/servicePrincipals" -Body @{ appId = $app.appId }
            $grant = Invoke-M365Request -Connection admin-cli -Method POST -Uri "$script:Graph/oauth2PermissionGrants" -Body @{
                clientId = $sp.id; consentType = 'AllPrincipals'; principalId = $null; resourceId = $script:GraphSp; scope = 'User.Read Application.Read.All DelegatedPermissionGrant.Read.All'
            }
            $connection = Connect-M365 -Sandbox -Credential $script:Credential -AppId $app.appId -Name $Name -PassThru -WarningAction SilentlyContinue
            $null = Get-M365AccessToken -Connection $connection -Resource Graph
            if ($Patch) { $null = Invoke-M365Request -Connection admin-cli -Method PATCH -Uri "$script:Graph/applications/$($app.id)" -Body $Patch }
            if ($WithdrawConsent) { $null = Invoke-M365Request -Connection admin-cli -Method DELETE -Uri "$script:Graph/oauth2PermissionGrants/$($grant.id)" }
            $connection
        }
    }

    AfterAll {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
    }

    It 'fails PublicClientFlows when "Allow public client flows" is off for a password or device-code connection' {
        $connection = New-BrokenConnection 'No public client' @{ isFallbackPublicClient = $false }

        $checks = Test-M365Connection -Connection $connection -Resource Graph

        (Get-Check $checks 'AppRegistration').Result | Should -Be 'Pass'
        $check = Get-Check $checks 'PublicClientFlows'
        $check.Result | Should -Be 'Fail'
        $check.Evidence | Should -Match 'isFallbackPublicClient false'
        $check.Evidence | Should -Match 'AADSTS7000218'
        $check.Fix | Should -Match 'Allow public client flows'
        (Get-Check $checks 'RedirectUri').Result | Should -Be 'Pass'
        (Get-Check $checks 'Consent').Result | Should -Be 'Pass'
    }

    It 'warns on RedirectUri when http://localhost is not registered, naming the URIs it has' {
        $connection = New-BrokenConnection 'No localhost' @{ publicClient = @{ redirectUris = @('https://login.microsoftonline.com/common/oauth2/nativeclient') } }

        $checks = Test-M365Connection -Connection $connection -Resource Graph

        $check = Get-Check $checks 'RedirectUri'
        $check.Result | Should -Be 'Warning'
        $check.Evidence | Should -Match 'http://localhost is not among the public-client redirect URIs \(https://login.microsoftonline.com/common/oauth2/nativeclient\)'
        $check.Evidence | Should -Match 'AADSTS50011'
        $check.Fix | Should -Match 'Add http://localhost'
        (Get-Check $checks 'PublicClientFlows').Result | Should -Be 'Pass'
    }

    It 'fails Consent, with the admin-consent URL, when Entra ID refuses the app a Graph token for want of consent' {
        $refused = New-BrokenConnection 'No consent' -WithdrawConsent
        $checks = Test-M365Connection -Connection $refused -Resource Graph

        (Get-Check $checks 'Token' 'Graph').Evidence | Should -Match 'ConsentRequired \(AADSTS65001\)'
        $check = Get-Check $checks 'Consent'
        $check.Result | Should -Be 'Fail'
        $check.Evidence | Should -Match "no Microsoft Graph token to the app $($refused.AppId): nobody consented to it \(ConsentRequired, AADSTS65001\)"
        $check.Fix | Should -Match 'Grant admin consent'
        $check.Fix | Should -Match ([regex]::Escape("/v2.0/adminconsent?client_id=$($refused.AppId)&scope=00000003-0000-0000-c000-000000000000%2F.default"))
    }
}
