#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: where a token may go (issue 16), in real pwsh against a sandbox tenant started as a child process, each case
# checked against the sandbox's request log: -Resource, -Headers and paths that start with '//'.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $script:Sandbox).Credential -WarningAction SilentlyContinue
    $null = Get-M365AccessToken -Resource Graph, SharePoint
}

AfterAll {
    Stop-TestSession
}

Describe 'Invoke-M365Request -Resource' {
    It 'refuses a Graph token for <Url>, and sends nothing' -ForEach @(
        @{ Url = 'https://evil.example/x' }
        @{ Url = 'https://contoso-admin.sharepoint.com/_api/web' }
    ) {
        Clear-SandboxRequests
        $e = { Invoke-M365Request $Url -Resource Graph -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResourceHostMismatch,M365.PowerShell.Cmdlets.InvokeM365RequestCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'SecurityError'
        $e.ErrorDetails.RecommendedAction | Should -Match 'App ID URI'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'sends your own API''s token to that API''s host only' {
        Clear-SandboxRequests
        { Invoke-M365Request https://api.contoso.example/items -Resource api://contoso-api -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResourceNotFound,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        $sent = @(Get-SandboxRequests | Where-Object { -not $_.grantType })
        $sent.Count | Should -Be 1
        $sent[0].host | Should -Be 'api.contoso.example'
    }
}

Describe 'Get-M365AccessToken for your own API' {
    It 'gets a token for an App ID URI, as Invoke-M365Request -Resource does' {
        (Get-M365AccessToken -Resource api://contoso-api).Audience | Should -Be 'api://contoso-api'
    }

    It 'names an App ID URI the tenant does not have' {
        { Get-M365AccessToken -Resource api://no-such-api -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResourceNotInTenant,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
    }
}

Describe 'Invoke-M365Request -Headers' {
    It 'refuses a header value with a line break, naming the header, and sends nothing' {
        Clear-SandboxRequests
        $e = { Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=1' -Headers @{ 'X-A' = "b`r`nAuthorization: Bearer attacker" } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RequestHeaderInvalid,M365.PowerShell.Cmdlets.InvokeM365RequestCommand' -PassThru
        $e.TargetObject | Should -Be 'X-A'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$e" | Should -Not -Match 'attacker'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'refuses an Authorization header in any case' {
        { Invoke-M365Request -Service Graph v1.0/me -Headers @{ AUTHORIZATION = 'Bearer x' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RequestHeaderInvalid,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
    }
}

Describe 'A path that starts with //' {
    It 'reaches no other local server' {
        $other = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $other.Start()
        try {
            $port = $other.LocalEndpoint.Port
            Clear-SandboxRequests
            { Invoke-M365Request "https://graph.microsoft.com//127.0.0.1:$port/stolen" -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestUriInvalid,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
            { Invoke-M365Request "https://graph.microsoft.com/\127.0.0.1:$port/stolen" -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestUriInvalid,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
            $other.Pending() | Should -BeFalse
            Get-SandboxRequests | Should -BeNullOrEmpty
        }
        finally {
            $other.Stop()
        }
    }
}
