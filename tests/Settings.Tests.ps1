#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: the saved defaults (Get-M365Setting, Set-M365Setting, Clear-M365Setting) and how a plain Connect-M365 uses
# them. The settings folder is the sandbox's own ($env:M365_SETTINGS_DIRECTORY, set by Start-TestSession), never ~/.m365.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $identity = Get-TestIdentity -Sandbox $script:Sandbox
    $script:Seed, $script:Credential = $identity.Seed, $identity.Credential
    $script:SettingsFile = Join-Path $env:M365_SETTINGS_DIRECTORY 'settings.json'
    $script:Limited = ($script:Seed.apps | Where-Object displayName -eq 'M365 Sandbox Limited App').appId
    $script:PnP = '31359c7f-bd7e-475c-86db-fdb8c937548e'
}

AfterAll {
    Stop-TestSession
}

Describe 'Set-M365Setting, Get-M365Setting and Clear-M365Setting' {
    AfterEach { Clear-M365Setting -Confirm:$false }

    It 'saves the defaults in a file only the user can read, and shows them' {
        Set-M365Setting -AppId $script:Limited.ToUpperInvariant() -Tenant 'Contoso.OnMicrosoft.com' -Environment usgov

        $saved = Get-M365Setting
        $saved | Should -BeOfType ([M365.PowerShell.Models.M365Setting])
        $saved.AppId | Should -Be $script:Limited
        $saved.Tenant | Should -Be 'contoso.onmicrosoft.com'
        $saved.Environment | Should -Be 'USGov'
        $saved.Path | Should -Be $script:SettingsFile
        Get-M365Setting -Name Tenant | Should -Be 'contoso.onmicrosoft.com'
        if (-not $IsWindows) {
            (Get-Item $script:SettingsFile).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item $env:M365_SETTINGS_DIRECTORY).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
        (Get-Content -Raw $script:SettingsFile) | Should -Not -Match 'secret|password|token'
    }

    It 'changes nothing with -WhatIf, and Clear-M365Setting -Name removes one setting only' {
        Set-M365Setting -AppId $script:Limited -Tenant contoso.onmicrosoft.com
        Set-M365Setting -AppId $script:PnP -WhatIf
        (Get-M365Setting).AppId | Should -Be $script:Limited

        Clear-M365Setting -Name AppId
        $saved = Get-M365Setting
        $saved.AppId | Should -BeNullOrEmpty
        $saved.Tenant | Should -Be 'contoso.onmicrosoft.com'
    }

    It 'refuses a value that is not an app id, a tenant or a cloud, naming the fix, and saves nothing' {
        { Set-M365Setting -Tenant contoso -ErrorAction Stop } |
            Should -Throw -ErrorId 'SettingValueInvalid,M365.PowerShell.Cmdlets.SetM365SettingCommand'
        $error[0].ErrorDetails.RecommendedAction | Should -Match 'contoso\.onmicrosoft\.com'
        { Set-M365Setting -AppId 'not-a-guid' -ErrorAction Stop } |
            Should -Throw -ErrorId 'SettingValueInvalid,M365.PowerShell.Cmdlets.SetM365SettingCommand'
        $script:SettingsFile | Should -Not -Exist
    }

    It 'reports a damaged file as SettingsFileInvalid with Clear-M365Setting as the fix, and Clear-M365Setting removes it' {
        New-Item -ItemType Directory -Force -Path $env:M365_SETTINGS_DIRECTORY | Out-Null
        Set-Content -Path $script:SettingsFile -Value '{ "appId": '

        { Get-M365Setting -ErrorAction Stop } | Should -Throw -ErrorId 'SettingsFileInvalid,M365.PowerShell.Cmdlets.GetM365SettingCommand'
        $error[0].ErrorDetails.RecommendedAction | Should -Match 'Clear-M365Setting'
        { Clear-M365Setting -Name Tenant -ErrorAction Stop } | Should -Throw -ErrorId 'SettingsFileInvalid,M365.PowerShell.Cmdlets.ClearM365SettingCommand'

        Clear-M365Setting -Confirm:$false
        $script:SettingsFile | Should -Not -Exist
        (Get-M365Setting).AppId | Should -BeNullOrEmpty
    }

    It 'refuses a settings folder other users can write to' -Skip:$IsWindows {
        Set-M365Setting -AppId $script:Limited
        chmod 0777 $env:M365_SETTINGS_DIRECTORY
        try {
            { Get-M365Setting -ErrorAction Stop } | Should -Throw -ErrorId 'SettingsFileInsecure,M365.PowerShell.Cmdlets.GetM365SettingCommand'
            { Set-M365Setting -Tenant contoso.onmicrosoft.com -ErrorAction Stop } | Should -Throw -ErrorId 'SettingsFileInsecure,M365.PowerShell.Cmdlets.SetM365SettingCommand'
        }
        finally {
            chmod 0700 $env:M365_SETTINGS_DIRECTORY
        }
    }
}

Describe 'A plain Connect-M365 uses the saved defaults' {
    BeforeAll {
        $script:SavedAad, $script:SavedEntra = $env:CLIMICROSOFT365_AADAPPID, $env:CLIMICROSOFT365_ENTRAAPPID
        Remove-Item Env:CLIMICROSOFT365_AADAPPID, Env:CLIMICROSOFT365_ENTRAAPPID -ErrorAction SilentlyContinue
    }
    AfterAll {
        $env:CLIMICROSOFT365_AADAPPID, $env:CLIMICROSOFT365_ENTRAAPPID = $script:SavedAad, $script:SavedEntra
    }
    AfterEach {
        Clear-M365Setting -Confirm:$false
        Remove-Item Env:CLIMICROSOFT365_AADAPPID -ErrorAction SilentlyContinue
        Disconnect-M365 -All -ErrorAction SilentlyContinue
    }

    It 'signs in with the saved app (AppIdSource Setting) and says so with -Verbose' {
        Set-M365Setting -AppId $script:Limited -Tenant $script:Seed.tenantId
        $verbose = Connect-M365 -Sandbox -Credential $script:Credential -PassThru -Verbose -WarningAction SilentlyContinue 4>&1
        $connection = $verbose | Where-Object { $_ -is [M365.PowerShell.Models.M365Connection] }

        $connection.AppId | Should -Be $script:Limited
        $connection.AppIdSource | Should -Be 'Setting'
        $connection.TenantId | Should -Be $script:Seed.tenantId
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "App id $($script:Limited) (AppIdSource Setting): from the saved default (Set-M365Setting)."
    }

    It 'lets -AppId and CLIMICROSOFT365_AADAPPID win over the saved app' {
        Set-M365Setting -AppId $script:Limited
        $env:CLIMICROSOFT365_AADAPPID = $script:PnP
        $fromVariable = Connect-M365 -Sandbox -Credential $script:Credential -PassThru -WarningAction SilentlyContinue
        $fromVariable.AppId | Should -Be $script:PnP
        $fromVariable.AppIdSource | Should -Be 'AadAppIdVariable'

        Remove-Item Env:CLIMICROSOFT365_AADAPPID
        $fromParameter = Connect-M365 -Sandbox -Credential $script:Credential -AppId $script:PnP -PassThru -WarningAction SilentlyContinue
        $fromParameter.AppIdSource | Should -Be 'Parameter'
    }

    It 'goes on without a damaged file, writing SettingsFileInvalid, and stops with -ErrorAction Stop' {
        New-Item -ItemType Directory -Force -Path $env:M365_SETTINGS_DIRECTORY | Out-Null
        Set-Content -Path $script:SettingsFile -Value 'not json'

        $connection = Connect-M365 -Sandbox -Credential $script:Credential -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $connection.AppIdSource | Should -Be 'Default'
        $problems[0].FullyQualifiedErrorId | Should -Be 'SettingsFileInvalid,M365.PowerShell.Cmdlets.ConnectM365Command'
        { Connect-M365 -Sandbox -Credential $script:Credential -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'SettingsFileInvalid,M365.PowerShell.Cmdlets.ConnectM365Command'
    }
}
