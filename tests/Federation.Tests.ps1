#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Connect-M365 -FederatedIdentity / -FederatedTokenFile / -ClientAssertion against the sandbox's token services
# (GitHub Actions, Azure DevOps, a Kubernetes token file), with each pipeline's environment as GET /_sandbox/federation
# gives it. Build first ('dotnet build M365Module.sln').

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $script:Federation = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/federation'
    $script:Seed = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/seed'
    $script:PipelinesApp = $script:Federation.kubernetes.AZURE_CLIENT_ID
    $script:TenantId = $script:Federation.kubernetes.AZURE_TENANT_ID
    $script:SharePoint = "https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com"
    $script:GraphAppId = '00000003-0000-0000-c000-000000000000'
    $script:Cmdlet = 'M365.PowerShell.Cmdlets.ConnectM365Command'

    # Every variable a source is found by: cleared around each test, so a runner that is itself a pipeline changes nothing.
    $script:PipelineVariables = @(
        'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_ACTIONS',
        'SYSTEM_OIDCREQUESTURI', 'SYSTEM_ACCESSTOKEN', 'TF_BUILD', 'AZURESUBSCRIPTION_SERVICE_CONNECTION_ID', 'AZURESUBSCRIPTION_CLIENT_ID', 'AZURESUBSCRIPTION_TENANT_ID',
        'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_AUTHORITY_HOST', 'CLIMICROSOFT365_TENANT')

    function Set-Pipeline([object] $Variables) {
        foreach ($name in $script:PipelineVariables) { [Environment]::SetEnvironmentVariable($name, $null) }
        if ($Variables) {
            foreach ($property in $Variables.PSObject.Properties) { [Environment]::SetEnvironmentVariable($property.Name, [string]$property.Value) }
        }
    }

    function Get-Issued([string] $Source) { (Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/federation').$Source.issued }

    function Set-FederationSource([string] $Source, [hashtable] $Settings) {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path "/federation/$Source" -Body $Settings
    }

    function Get-FailureOf([scriptblock] $Connect) {
        try { & $Connect; $null } catch { $_ }
    }
}

AfterAll {
    Set-Pipeline $null
    Stop-TestSession
}

Describe 'Connect-M365 -FederatedIdentity from each token source' {
    AfterEach {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
        Set-Pipeline $null
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/federation/reset'
    }

    It 'signs in from <Name> and calls Graph and SharePoint app-only, with a fresh token for each when tokens live a minute' -ForEach @(
        @{ Name = 'GitHub Actions'; Source = 'github'; AppId = $true }
        @{ Name = 'Azure DevOps'; Source = 'azureDevOps'; AppId = $false }
        @{ Name = 'a Kubernetes token file'; Source = 'kubernetes'; AppId = $false }
    ) {
        Set-Pipeline $script:Federation.$Source
        # A token with no more than a minute left is never reused: the Graph and the SharePoint token each get their own.
        Set-FederationSource $Source @{ lifetimeSeconds = 60 }
        $before = Get-Issued $Source
        # GitHub's environment names no app (the workflow passes it); Azure DevOps' task and the pod's webhook do.
        $arguments = if ($AppId) { @{ AppId = $script:PipelinesApp; Tenant = $script:TenantId } } else { @{} }
        $streams = @(Connect-M365 -Sandbox -FederatedIdentity @arguments -PassThru -Verbose -Debug 4>&1 5>&1)
        $connection = $streams | Where-Object { $_ -is [M365.PowerShell.Models.M365Connection] }
        $said = ($streams | Where-Object { $_ -isnot [M365.PowerShell.Models.M365Connection] } | ForEach-Object { "$_" }) -join "`n"
        # The token requests show in -Debug, the request tokens and the assertions never.
        if ($Source -ne 'kubernetes') { $said | Should -Match '/oidc/' }
        foreach ($secret in @($script:Federation.$Source.PSObject.Properties | Where-Object Name -in 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'SYSTEM_ACCESSTOKEN' | ForEach-Object Value)) {
            $said | Should -Not -Match ([regex]::Escape($secret))
        }
        $said | Should -Not -Match 'eyJ'

        $connection.AuthType | Should -Be 'FederatedIdentity'
        $connection.AppId | Should -Be $script:PipelinesApp
        (Get-M365AadSp -AppId $script:GraphAppId -ErrorAction Stop).DisplayName | Should -Be 'Microsoft Graph'
        (Get-M365AccessToken -Resource SharePoint).IdentityType | Should -Be 'app'
        $web = Invoke-M365Request "$script:SharePoint/_api/web" -ErrorAction Stop
        $web | Should -Not -BeNullOrEmpty
        # The Kubernetes file is rewritten by the sandbox itself, so only the pipelines' token services count requests here.
        if ($Source -ne 'kubernetes') { (Get-Issued $Source) - $before | Should -BeGreaterOrEqual 2 }
        { Get-M365AccessToken -Resource Yammer -ErrorAction Stop } | Should -Throw -ErrorId 'YammerRequiresDelegatedAuth,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
    }

    It 'reads -FederatedTokenFile and says where the token came from, never the token' {
        $file = $script:Federation.kubernetes.AZURE_FEDERATED_TOKEN_FILE
        $verbose = Connect-M365 -Sandbox -FederatedTokenFile $file -AppId $script:PipelinesApp -Tenant $script:TenantId -Verbose 4>&1 | ForEach-Object { "$_" }
        ($verbose -join "`n") | Should -Match ([regex]::Escape("federated token from the token file '$file'"))
        ($verbose -join "`n") | Should -Not -Match 'eyJ'
        (Get-M365AccessToken -Resource Graph).IdentityType | Should -Be 'app'
    }

    It 'signs in with -ClientAssertion and warns that it cannot be renewed' {
        $token = (Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/federation/github/token').token
        $warnings = @()
        Connect-M365 -Sandbox -ClientAssertion $token -AppId $script:PipelinesApp -Tenant $script:TenantId -WarningVariable warnings -WarningAction SilentlyContinue
        (Get-M365AccessToken -Resource Graph).IdentityType | Should -Be 'app'
        ($warnings -join ' ') | Should -Match 'cannot be renewed'
        ($warnings -join ' ') | Should -Match '-FederatedIdentity'
        ($warnings -join ' ') | Should -Not -Match ([regex]::Escape($token))
    }
}

Describe 'Connect-M365 -FederatedIdentity errors' {
    AfterEach {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
        Set-Pipeline $null
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/federation/reset'
    }

    It 'outside a pipeline is FederatedTokenUnavailable listing what each source needs' {
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $script:PipelinesApp -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedTokenUnavailable,$script:Cmdlet"
        foreach ($variable in 'ACTIONS_ID_TOKEN_REQUEST_URL', 'SYSTEM_OIDCREQUESTURI', 'SYSTEM_ACCESSTOKEN', 'AZURE_FEDERATED_TOKEN_FILE') {
            $failure.Exception.Message | Should -Match $variable
        }
    }

    It 'in a GitHub job without the id-token permission names the permission to add' {
        Set-Pipeline ([pscustomobject]@{ GITHUB_ACTIONS = 'true' })
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $script:PipelinesApp -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedTokenUnavailable,$script:Cmdlet"
        $failure.ErrorDetails.RecommendedAction | Should -Match 'permissions: id-token: write'
    }

    It 'in an Azure DevOps step without SYSTEM_ACCESSTOKEN names the env mapping' {
        $ado = $script:Federation.azureDevOps | Select-Object * -ExcludeProperty SYSTEM_ACCESSTOKEN
        Set-Pipeline $ado
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedTokenUnavailable,$script:Cmdlet"
        $failure.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('SYSTEM_ACCESSTOKEN: $(System.AccessToken)'))
    }

    It 'with a request token the service refuses is FederatedTokenRequestFailed, without the token' {
        $github = $script:Federation.github.PSObject.Copy()
        $github.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'not-the-request-token'
        Set-Pipeline $github
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $script:PipelinesApp -Tenant $script:TenantId -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedTokenRequestFailed,$script:Cmdlet"
        $failure.Exception.Message | Should -Match 'HTTP 401'
        "$($failure.Exception)" | Should -Not -Match 'not-the-request-token'
    }

    It 'with a missing token file is FederatedTokenFileNotFound, with an empty one FederatedTokenFileUnreadable' {
        $missing = Join-Path $script:Sandbox.State 'no-such-token'
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedTokenFile $missing -AppId $script:PipelinesApp -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedTokenFileNotFound,$script:Cmdlet"
        $failure.TargetObject | Should -Be $missing

        $empty = Join-Path $script:Sandbox.State 'empty-token'
        Set-Content -Path $empty -Value ''
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedTokenFile $empty -AppId $script:PipelinesApp -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedTokenFileUnreadable,$script:Cmdlet"
        $failure.Exception.Message | Should -Match 'it is empty'
    }

    It 'with a subject no credential has is FederatedCredentialMismatch naming issuer and subject (<Case>)' -ForEach @(
        @{ Case = 'another branch'; Subject = 'repo:contoso/automation:ref:refs/heads/feature'; Code = 'AADSTS700213' }
        @{ Case = 'another letter case'; Subject = 'repo:Contoso/automation:ref:refs/heads/main'; Code = 'AADSTS7002138' }
    ) {
        Set-FederationSource github @{ subject = $Subject }
        Set-Pipeline $script:Federation.github
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $script:PipelinesApp -Tenant $script:TenantId -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedCredentialMismatch,$script:Cmdlet"
        $failure.Exception.Message | Should -Match ([regex]::Escape("no federated credential with issuer 'https://token.actions.githubusercontent.com' and subject '$Subject'"))
        $failure.Exception.Message | Should -Match 'case matters'
        $failure.Exception.Message | Should -Match $Code
        $failure.Exception.Message | Should -Not -Match 'eyJ'
    }

    It 'for an app without federated credentials is FederatedCredentialMissing' {
        $automation = ($script:Seed.apps | Where-Object { $_.clientSecret } | Select-Object -First 1).appId
        Set-Pipeline $script:Federation.github
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $automation -Tenant $script:TenantId -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "FederatedCredentialMissing,$script:Cmdlet"
        $failure.ErrorDetails.RecommendedAction | Should -Match 'repo:contoso/automation:ref:refs/heads/main'
    }

    It 'with a token outside its time range is ClientAssertionExpired' {
        Set-FederationSource github @{ notBefore = 600 }
        Set-Pipeline $script:Federation.github
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $script:PipelinesApp -Tenant $script:TenantId -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "ClientAssertionExpired,$script:Cmdlet"
        $failure.Exception.Message | Should -Match 'AADSTS700024'
        $failure.Exception.Message | Should -Match 'expires \d{4}-\d\d-\d\d'
    }

    It 'with a token that lives too long is ClientAssertionLifetimeTooLong' {
        Set-FederationSource github @{ lifetimeSeconds = 172800 }
        Set-Pipeline $script:Federation.github
        $failure = Get-FailureOf { Connect-M365 -Sandbox -FederatedIdentity -AppId $script:PipelinesApp -Tenant $script:TenantId -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -Be "ClientAssertionLifetimeTooLong,$script:Cmdlet"
        $failure.Exception.Message | Should -Match 'valid for 48 hours'
        $failure.Exception.Message | Should -Match 'AADSTS70023'
    }
}
