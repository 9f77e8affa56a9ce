#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Continuous Access Evaluation in real pwsh. The sandbox (a child process) revokes tokens mid-life with a
# 401 insufficient_claims challenge; the module answers with one token request carrying the claims and resends once.
# A managed identity has no claims to send: MSAL.NET asks its Service Fabric endpoint with xms_cc=cp1 and the SHA-256
# of the rejected token (token_sha256_to_refresh) instead.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1') -Force -ErrorAction Stop
    $script:Sandbox = Start-TestSandbox
    $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
    $identity = Get-TestIdentity -Sandbox $script:Sandbox
    $script:AdminUpn = $identity.Credential.UserName
    $script:Delegated = Connect-M365 -Sandbox -Credential $identity.Credential -Name cae-user -PassThru -WarningAction SilentlyContinue
    $script:AppOnly = Connect-M365 -Sandbox -AppId $identity.App.appId -Tenant $identity.Seed.tenantId -ClientSecret $identity.Secret -Name cae-app -PassThru
    $script:GraphAppId = '00000003-0000-0000-c000-000000000000'
    $script:Url = 'https://graph.microsoft.com/v1.0/servicePrincipals?$top=1'

    function New-Challenge([hashtable] $Body) { Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/cae/challenge' -Body $Body }
    function Get-GraphCalls { @(Get-SandboxRequests | Where-Object { -not $_.grantType -and $_.host -eq 'graph.microsoft.com' }) }
    function Get-TokenRequests { @(Get-SandboxRequests | Where-Object { $_.grantType }) }
}

AfterAll {
    Disconnect-M365 -All
    Get-Module M365 | Remove-Module -Force
    Remove-Item Env:M365_SANDBOX -ErrorAction SilentlyContinue
    if ($script:Sandbox) { Stop-TestSandbox -Sandbox $script:Sandbox }
}

Describe 'A claims challenge' {
    BeforeEach {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/cae/challenges'
    }

    It 'gets one token with the claims and one resend for Invoke-M365Request (<Name>)' -ForEach @(
        @{ Name = 'delegated'; Grant = 'refresh_token' }
        @{ Name = 'app-only'; Grant = 'client_credentials' }
    ) {
        $connection = if ($Name -eq 'delegated') { $script:Delegated } else { $script:AppOnly }
        $null = Invoke-M365Request $script:Url -Connection $connection
        $null = New-Challenge @{ resource = 'https://graph.microsoft.com' }
        Clear-SandboxRequests

        $answer = Invoke-M365Request $script:Url -Connection $connection -Verbose 4>&1
        $verbose = @($answer | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })

        @($answer | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 1
        @(Get-GraphCalls).status | Should -Be @(401, 200)
        $tokens = Get-TokenRequests
        $tokens.Count | Should -Be 1
        $tokens[0].grantType | Should -Be $Grant
        $tokens[0].caeClaims | Should -BeTrue
        ($verbose.Message -join "`n") | Should -Match 'claims challenge'
        ($verbose.Message -join "`n") | Should -Not -Match 'eyJ'
    }

    It 'is answered for Get-M365AadSp, and the next call needs no token request' {
        $null = Get-M365AadSp -AppId $script:GraphAppId -Connection $script:Delegated
        $null = New-Challenge @{ user = $script:AdminUpn }
        Clear-SandboxRequests

        (Get-M365AadSp -AppId $script:GraphAppId -Connection $script:Delegated).DisplayName | Should -Be 'Microsoft Graph'
        (Get-M365AadSp -AppId $script:GraphAppId -Connection $script:Delegated).DisplayName | Should -Be 'Microsoft Graph'

        @(Get-GraphCalls).status | Should -Be @(401, 200, 200)
        @(Get-TokenRequests | Where-Object caeClaims).Count | Should -Be 1
        @(Get-TokenRequests).Count | Should -Be 1
    }

    It 'asked again after the claims token is ClaimsChallengeFailed' {
        $null = Invoke-M365Request $script:Url -Connection $script:AppOnly
        $null = New-Challenge @{ app = $script:AppOnly.AppId; sticky = $true }
        Clear-SandboxRequests

        { Invoke-M365Request $script:Url -Connection $script:AppOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'ClaimsChallengeFailed,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'

        @(Get-GraphCalls).status | Should -Be @(401, 401)
        @(Get-TokenRequests).Count | Should -Be 1
    }

    It 'from several runspaces at once makes one claims request' {
        $null = Invoke-M365Request $script:Url -Connection $script:AppOnly
        $null = New-Challenge @{ app = $script:AppOnly.AppId }
        Clear-SandboxRequests
        $modulePath = (Get-Module M365).Path
        $connection = $script:AppOnly
        $url = $script:Url

        $results = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:modulePath
            @(Invoke-M365Request $using:url -Connection $using:connection -ErrorAction Stop).Count
        }

        $results | Should -Be @(1, 1, 1, 1, 1, 1, 1, 1)
        @(Get-TokenRequests).Count | Should -Be 1
        @(Get-GraphCalls | Where-Object status -EQ 200).Count | Should -Be 8
    }
}

Describe 'A claims challenge to a managed identity' {
    BeforeAll {
        # IDENTITY_SERVER_THUMBPRINT next to IDENTITY_ENDPOINT and IDENTITY_HEADER makes MSAL speak the Service Fabric
        # protocol, the one managed-identity source it sends the CAE parameters to (MSAL.NET 4.92.0).
        $script:SavedIdentity = @{}
        $values = @{
            IDENTITY_ENDPOINT          = $script:Sandbox.Descriptor.identityEndpoint
            IDENTITY_HEADER            = $script:Sandbox.Descriptor.identityHeader
            IDENTITY_SERVER_THUMBPRINT = $script:Sandbox.Descriptor.identityServerThumbprint
        }
        foreach ($name in $values.Keys) {
            $script:SavedIdentity[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $values[$name])
        }
        $seed = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/seed'
        $script:IdentityClientId = ($seed.managedIdentities | Where-Object { -not $_.userAssigned } | Select-Object -First 1).clientId
        $script:Identity = Connect-M365 -Sandbox -ManagedIdentity -Name cae-mi -PassThru

        function Get-Sha256Hex([string] $Text) {
            [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
        }
    }

    AfterAll {
        foreach ($name in $script:SavedIdentity.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedIdentity[$name]) }
    }

    BeforeEach {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/cae/challenges'
    }

    It 'is answered for <Name> with one managed-identity token request that names the rejected token' -ForEach @(
        @{ Name = 'Invoke-M365Request'; Call = { @(Invoke-M365Request $script:Url -Connection $script:Identity -ErrorAction Stop).Count | Should -Be 1 } }
        @{ Name = 'Get-M365AadSp'; Call = { (Get-M365AadSp -AppId $script:GraphAppId -Connection $script:Identity -ErrorAction Stop).DisplayName | Should -Be 'Microsoft Graph' } }
    ) {
        $null = Invoke-M365Request $script:Url -Connection $script:Identity
        $rejected = (Get-M365AccessToken -Connection $script:Identity -Resource Graph).Token
        $null = New-Challenge @{ app = $script:IdentityClientId }
        Clear-SandboxRequests

        & $Call
        & $Call

        @(Get-GraphCalls).status | Should -Be @(401, 200, 200)
        $tokens = Get-TokenRequests
        $tokens.Count | Should -Be 1
        $tokens[0].grantType | Should -Be 'managed_identity_service_fabric'
        $tokens[0].caeClaims | Should -BeTrue
        $tokens[0].query | Should -Match '(^|[?&])xms_cc=cp1(&|$)'
        $tokens[0].query | Should -Match ('(^|[?&])token_sha256_to_refresh=' + (Get-Sha256Hex $rejected) + '(&|$)')
        (Get-M365AccessToken -Connection $script:Identity -Resource Graph).Token | Should -Not -Be $rejected
    }

    It 'asked again after the refreshed token is ClaimsChallengeFailed, at once (<Name>)' -ForEach @(
        @{ Name = 'Invoke-M365Request'; Call = { Invoke-M365Request $script:Url -Connection $script:Identity -ErrorAction Stop }; Command = 'InvokeM365RequestCommand' }
        @{ Name = 'Get-M365AadSp'; Call = { Get-M365AadSp -AppId $script:GraphAppId -Connection $script:Identity -ErrorAction Stop }; Command = 'GetM365AadSpCommand' }
    ) {
        $null = Invoke-M365Request $script:Url -Connection $script:Identity
        $null = New-Challenge @{ app = $script:IdentityClientId; sticky = $true }
        Clear-SandboxRequests
        $watch = [Diagnostics.Stopwatch]::StartNew()

        { & $Call } | Should -Throw -ErrorId "ClaimsChallengeFailed,M365.PowerShell.Cmdlets.$Command"

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        @(Get-GraphCalls).status | Should -Be @(401, 401)
        $tokens = Get-TokenRequests
        $tokens.Count | Should -Be 1
        $tokens[0].grantType | Should -Be 'managed_identity_service_fabric'
        $tokens[0].query | Should -Match 'token_sha256_to_refresh=[0-9a-f]{64}'
    }
}
