#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Set-M365RequestSetting and Get-M365RequestSetting in real pwsh against a sandbox tenant: the session's and a
# connection's settings, shown by Get-M365Connection and used by the service cmdlets' one retry pipeline.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $script:Connection = Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $script:Sandbox).Credential -WarningAction SilentlyContinue -PassThru
    function Add-Unavailable { $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ host = 'graph.microsoft.com'; path = '/v1.0/servicePrincipals'; kind = 'Status'; status = 503; times = 50 } }
    function Get-Attempts { @(Get-SandboxRequests | Where-Object { $_.path -eq '/v1.0/servicePrincipals' -and $_.status -eq 503 }).Count }
}

AfterAll {
    Set-M365RequestSetting -Reset
    Stop-TestSession
}

Describe 'Request settings' {
    AfterEach {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults'
        Set-M365RequestSetting -Reset
        Set-M365RequestSetting -Connection $script:Connection -Reset
    }

    It 'shows the defaults until something is set' {
        $setting = Get-M365RequestSetting
        $setting.MaxRetry | Should -Be 3
        $setting.RetryDelay | Should -Be ([timespan]::FromSeconds(2))
        $setting.RequestTimeout | Should -Be ([timespan]::FromSeconds(100))
        $setting.Source | Should -Be 'Default'
    }

    It 'gives every request of the session the retries it sets, and Get-M365Connection shows them' {
        Set-M365RequestSetting -MaxRetry 1 -RetryDelay 0.01
        (Get-M365Connection).RequestSettings.MaxRetry | Should -Be 1
        (Get-M365Connection | Format-List | Out-String) | Should -Match 'RequestSettings\s*:\s*MaxRetry 1, RetryDelay 0.01 s'
        Add-Unavailable
        Clear-SandboxRequests
        Get-M365AadSp -Property id -ErrorAction SilentlyContinue -ErrorVariable failure | Select-Object -First 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ServiceUnavailable,*'
        $failure[0].ErrorDetails.RecommendedAction | Should -Match 'Set-M365RequestSetting -MaxRetry'
        Get-Attempts | Should -Be 2
    }

    It 'lets a connection''s own settings win over the session''s' {
        Set-M365RequestSetting -MaxRetry 4
        $own = Set-M365RequestSetting -Connection $script:Connection -MaxRetry 0 -PassThru
        $own.MaxRetry | Should -Be 0
        $own.Source | Should -Be 'MaxRetry: Connection; RetryDelay: Default; RequestTimeout: Default'
        Add-Unavailable
        Clear-SandboxRequests
        Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=1' -ErrorAction SilentlyContinue
        Get-Attempts | Should -Be 1
    }

    It 'changes nothing with -WhatIf and refuses a value out of range' {
        Set-M365RequestSetting -MaxRetry 9 -WhatIf
        (Get-M365RequestSetting).MaxRetry | Should -Be 3
        { Set-M365RequestSetting -MaxRetry 11 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,M365.PowerShell.Cmdlets.SetM365RequestSettingCommand'
    }

    It 'names the open connections when -Connection names none' {
        { Get-M365RequestSetting -Connection nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionNameNotFound,M365.PowerShell.Cmdlets.GetM365RequestSettingCommand'
        $Error[0].Exception.Message | Should -Match "no connection named 'nope'\. Open connections: "
    }
}
