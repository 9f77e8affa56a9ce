#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: which connection a command runs as. Two open connections of different apps (a user through the PnP Management
# Shell app, and the sandbox's automation app, app-only); the sandbox's request log says which app each request came from.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $script:Identity = Get-TestIdentity -Sandbox $script:Sandbox
    $script:UserAppId = '31359c7f-bd7e-475c-86db-fdb8c937548e'
    $script:AutomationAppId = $script:Identity.App.appId
    $script:GraphAppId = '00000003-0000-0000-c000-000000000000'

    function Connect-Both {
        # userconn first, appconn second: appconn is current.
        $script:User = Connect-M365 -Sandbox -Credential $script:Identity.Credential -Name userconn -PassThru -WarningAction SilentlyContinue
        $script:App = Connect-M365 -Sandbox -AppId $script:AutomationAppId -Tenant $script:Identity.Seed.tenantId -ClientSecret $script:Identity.Secret -Name appconn -PassThru
    }

    # The apps that sent the service requests (token requests left out) since the log was cleared.
    function Get-CallerApp { @(Get-SandboxRequests | Where-Object { $_.appId -and $_.path -notmatch '/oauth2/' } | ForEach-Object appId | Sort-Object -Unique) }
}

AfterAll {
    Stop-TestSession
}

Describe 'Disconnect-M365 of the current connection' {
    BeforeEach { Connect-Both }
    AfterEach { Disconnect-M365 -All -ErrorAction SilentlyContinue }

    It 'leaves no current connection: the next command fails with ConnectionNotFound, names the open ones and sends nothing' {
        Disconnect-M365
        Clear-SandboxRequests

        { Get-M365AadSp -AppId $script:GraphAppId -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionNotFound,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        $failure = $Error[0]
        $failure.Exception.Message | Should -Match "Open connections: userconn\."
        $failure.ErrorDetails.RecommendedAction | Should -Match '-Connection userconn'
        Get-SandboxRequests | Should -BeNullOrEmpty
        { Get-M365Connection -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNotFound,M365.PowerShell.Cmdlets.GetM365ConnectionCommand'
        { Disconnect-M365 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNotFound,M365.PowerShell.Cmdlets.DisconnectM365Command'
    }

    It 'still runs as an open connection named with -Connection, and as a new sign-in, which becomes current' {
        Disconnect-M365
        Clear-SandboxRequests
        (Get-M365AadSp -AppId $script:GraphAppId -Connection userconn).DisplayName | Should -Be 'Microsoft Graph'
        Get-CallerApp | Should -Be $script:UserAppId

        Connect-M365 -Sandbox -AppId $script:AutomationAppId -Tenant $script:Identity.Seed.tenantId -ClientSecret $script:Identity.Secret -Name appconn
        (Get-M365Connection).Name | Should -Be 'appconn'
    }

    It 'keeps the current connection when another one is disconnected' {
        Disconnect-M365 -Name userconn
        (Get-M365Connection).Name | Should -Be 'appconn'
    }
}

Describe 'Input data never chooses the connection' {
    BeforeAll { Connect-Both }
    AfterAll { Disconnect-M365 -All -ErrorAction SilentlyContinue }
    BeforeEach { Clear-SandboxRequests }

    It 'ignores a Connection column of Get-M365AadSp input, with a warning naming -Connection' {
        $rows = 'AppId,Connection', "$script:GraphAppId,userconn" | ConvertFrom-Csv
        $sp = $rows | Get-M365AadSp -WarningVariable warnings -WarningAction SilentlyContinue
        $sp.DisplayName | Should -Be 'Microsoft Graph'
        Get-CallerApp | Should -Be $script:AutomationAppId
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match "'userconn'.*runs as 'appconn'.*-Connection userconn"
    }

    It 'ignores a Connection column of Invoke-M365Request input' {
        $rows = 'Uri,Connection', 'https://graph.microsoft.com/v1.0/servicePrincipals?$top=1,userconn' | ConvertFrom-Csv
        $null = $rows | Invoke-M365Request -WarningAction SilentlyContinue -ErrorAction Stop
        Get-CallerApp | Should -Be $script:AutomationAppId
    }

    It 'ignores a Connection column of Add-M365SpoSite input' {
        $url = "https://contoso.sharepoint.com/sites/conn-$([guid]::NewGuid().ToString('N').Substring(0, 10))"
        $owner = $script:Identity.Credential.UserName
        $rows = 'Type,Title,Url,Owners,Connection', "CommunicationSite,Data,$url,$owner,userconn" | ConvertFrom-Csv
        $null = $rows | Add-M365SpoSite -WarningAction SilentlyContinue
        Get-CallerApp | Should -Be $script:AutomationAppId
    }

    It 'ignores a piped string that names a connection' {
        $null = 'userconn' | Get-M365AccessToken -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match "'userconn'"
        (Get-M365AccessToken).Connection | Should -Be 'appconn'
    }

    It 'ignores a Connection column naming no connection, without an error about it' {
        $rows = 'AppId,Connection', "$script:GraphAppId,nope" | ConvertFrom-Csv
        ($rows | Get-M365AadSp -ErrorVariable failures).DisplayName | Should -Be 'Microsoft Graph'
        $failures | Should -BeNullOrEmpty
        Get-CallerApp | Should -Be $script:AutomationAppId
    }

    It 'runs as a connection object piped on purpose, by value or as a Connection property, and as -Connection and a name' {
        (Get-M365Connection -Name userconn | Get-M365AccessToken).Connection | Should -Be 'userconn'
        ([pscustomobject]@{ Connection = $script:User; Resource = 'Graph' } | Get-M365AccessToken).Connection | Should -Be 'userconn'
        $rows = 'AppId', $script:GraphAppId | ConvertFrom-Csv
        $null = $rows | Get-M365AadSp -Connection userconn
        Get-CallerApp | Should -Be $script:UserAppId
        ([pscustomobject]@{ Resource = 'Management' } | Get-M365AccessToken).Connection | Should -Be 'appconn'
    }
}

Describe '-Connection with a name of no connection' {
    BeforeAll { Connect-Both }
    AfterAll { Disconnect-M365 -All -ErrorAction SilentlyContinue }

    It 'fails with ConnectionNameNotFound, naming the open connections, before sending anything' {
        Clear-SandboxRequests
        { Get-M365AadSp -AppId $script:GraphAppId -Connection nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionNameNotFound,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        $Error[0].TargetObject | Should -Be 'nope'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $Error[0].Exception.Message | Should -Match "no connection named 'nope'. Open connections: userconn, appconn\."
        { Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=1' -Connection nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionNameNotFound,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }
}

Describe 'A connection in another process' {
    BeforeAll { Connect-Both }
    AfterAll { Disconnect-M365 -All -ErrorAction SilentlyContinue }

    It 'fails in Start-Job with ConnectionDeserialized, naming Start-ThreadJob and ForEach-Object -Parallel' {
        $manifest = (Resolve-Path $script:Manifest).Path
        $user = $script:User
        $job = Start-Job {
            Import-Module $using:manifest
            try { Get-M365AccessToken -Connection $using:user -ErrorAction Stop }
            catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Target = $_.TargetObject; Action = $_.ErrorDetails.RecommendedAction } }
        }
        try {
            $result = $job | Wait-Job -Timeout 120 | Receive-Job
        }
        finally {
            $job | Remove-Job -Force
        }
        $result.Id | Should -Be 'ConnectionDeserialized,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand'
        $result.Target | Should -Be 'userconn'
        $result.Action | Should -Match 'Start-ThreadJob'
        $result.Action | Should -Match 'ForEach-Object -Parallel'
    }

    It 'works in a thread job of the same process' {
        $manifest = (Resolve-Path $script:Manifest).Path
        $user = $script:User
        $token = Start-ThreadJob { Import-Module $using:manifest; Get-M365AccessToken -Connection $using:user } | Wait-Job -Timeout 60 | Receive-Job
        $token.Connection | Should -Be 'userconn'
    }
}
