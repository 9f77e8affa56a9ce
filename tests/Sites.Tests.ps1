#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: the site lifecycle (Get-M365SpoSite's tenant listing, Remove-M365SpoSite, Restore-M365SpoSite) in real pwsh
# against a sandbox tenant started as a child process, each checked against the sandbox's request log.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $script:Sandbox).Credential -WarningAction SilentlyContinue
    $script:Tenant = 'https://contoso.sharepoint.com'
    $script:ProcessQuery = '/_vti_bin/client.svc/ProcessQuery'
    function New-Tag { 'pst' + [guid]::NewGuid().ToString('N').Substring(0, 10) }
    function Set-SiteLifecycle([hashtable] $Body) { $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/sites/lifecycle' -Body $Body }
    $null = Get-M365AccessToken -Resource Graph, SharePoint, SharePointAdmin
}

AfterAll {
    Stop-TestSession
}

Describe 'Get-M365SpoSite without -Url' {
    BeforeAll {
        $script:Tag = New-Tag
        1..3 | ForEach-Object { $null = Add-M365SpoSite -Type CommunicationSite -Title "Listed $_" -Url "$script:Tenant/sites/$script:Tag-$_" }
        $null = Add-M365SpoSite -Type TeamSite -Title 'Listed team' -Alias "$script:Tag-team"
    }

    AfterEach { Set-SiteLifecycle @{ pageSize = 300 } }

    It 'pages across NextStartIndexFromSharePoint, one ProcessQuery per page' {
        Set-SiteLifecycle @{ pageSize = 2 }
        Clear-SandboxRequests
        $sites = Get-M365SpoSite -Filter "Url -like '$script:Tag'"
        $sites.Url | Should -Be @("$script:Tenant/sites/$script:Tag-1", "$script:Tenant/sites/$script:Tag-2", "$script:Tenant/sites/$script:Tag-3", "$script:Tenant/sites/$script:Tag-team")
        @(Get-SandboxRequests | Where-Object path -eq $script:ProcessQuery).Count | Should -Be 2
        $sites[0].PSObject.TypeNames[0] | Should -Be 'M365.SpoSite'
        $sites[0].Owner | Should -Be 'admin@contoso.onmicrosoft.com'
        ($sites | Format-List | Out-String) | Should -Match 'StorageQuotaMB'
    }

    It 'keeps one kind with -Type and leaves OneDrive sites out unless -IncludeOneDriveSites' {
        (Get-M365SpoSite -Type TeamSite -Filter "Url -like '$script:Tag'").Url | Should -Be "$script:Tenant/sites/$script:Tag-team"
        @(Get-M365SpoSite -Type CommunicationSite -Filter "Url -like '$script:Tag'").Count | Should -Be 3
        (Get-M365SpoSite).Template | Should -Not -Contain 'SPSPERS#10'
        (Get-M365SpoSite -IncludeOneDriveSites).Template | Should -Contain 'SPSPERS#10'
    }

    It 'writes SiteFilterInvalid for a filter SharePoint refuses' {
        { Get-M365SpoSite -Filter "Colour -eq 'blue'" -ErrorAction Stop } | Should -Throw -ErrorId 'SiteFilterInvalid,M365.PowerShell.Cmdlets.GetM365SpoSiteCommand'
    }

    It 'reads one URL from the admin host with -Detailed' {
        $site = Get-M365SpoSite -Url "$script:Tenant/sites/$script:Tag-1" -Detailed
        $site.LockState | Should -Be 'Unlock'
        $site.SharingCapability | Should -Be 'ExternalUserSharingOnly'
        $site.Status | Should -Be 'Ready'
    }
}

Describe 'Remove-M365SpoSite and Restore-M365SpoSite' {
    AfterEach { Set-SiteLifecycle @{ operationSeconds = 0 } }

    It 'removes a communication site with Tenant.RemoveSite, polls it, and restores it' {
        $url = "$script:Tenant/sites/$(New-Tag)"
        $null = Add-M365SpoSite -Type CommunicationSite -Title 'To remove' -Url $url
        Set-SiteLifecycle @{ operationSeconds = 2.5 }
        Clear-SandboxRequests
        Get-M365SpoSite -Url $url | Remove-M365SpoSite -Confirm:$false
        $calls = Get-SandboxRequests | Where-Object { $_.path -notlike '*/token' }
        @($calls | Where-Object method -eq 'DELETE') | Should -BeNullOrEmpty
        @($calls | Where-Object path -eq $script:ProcessQuery).Count | Should -BeGreaterOrEqual 4
        { Get-M365SpoSite -Url $url -Detailed -ErrorAction Stop } | Should -Throw -ErrorId 'SiteNotFound,M365.PowerShell.Cmdlets.GetM365SpoSiteCommand'

        Set-SiteLifecycle @{ operationSeconds = 0 }
        $restored = Restore-M365SpoSite -Url $url
        $restored.Url | Should -Be $url
        $restored.PSObject.TypeNames[0] | Should -Be 'M365.SpoSite'
    }

    It 'removes a team site by deleting its group in Graph' {
        $site = Add-M365SpoSite -Type TeamSite -Title 'To remove' -Alias (New-Tag)
        Clear-SandboxRequests
        $site | Remove-M365SpoSite -Confirm:$false
        @(Get-SandboxRequests | Where-Object { $_.method -eq 'DELETE' }).path | Should -Be "/v1.0/groups/$($site.GroupId)"
        Get-M365SpoSite -Type TeamSite | Where-Object Url -eq $site.Url | Should -BeNullOrEmpty
    }

    It 'deletes for good with -FromRecycleBin, after which nothing can be restored' {
        $url = "$script:Tenant/sites/$(New-Tag)"
        $null = Add-M365SpoSite -Type CommunicationSite -Title 'For good' -Url $url
        Remove-M365SpoSite $url -Confirm:$false
        Remove-M365SpoSite $url -FromRecycleBin -Confirm:$false
        { Restore-M365SpoSite -Url $url -ErrorAction Stop } | Should -Throw -ErrorId 'SiteNotFound,M365.PowerShell.Cmdlets.RestoreM365SpoSiteCommand'
    }

    It 'sends nothing with -WhatIf' {
        $url = "$script:Tenant/sites/$(New-Tag)"
        $null = Add-M365SpoSite -Type CommunicationSite -Title 'Kept' -Url $url
        Clear-SandboxRequests
        Remove-M365SpoSite -Url $url -WhatIf
        Get-SandboxRequests | Should -BeNullOrEmpty
        (Get-M365SpoSite -Url $url).Status | Should -Be 'Ready'
    }

    It 'never removes the root site or the admin site (<Url>)' -ForEach @(
        @{ Url = 'https://contoso.sharepoint.com' }
        @{ Url = 'https://contoso.sharepoint.com/' }
        @{ Url = 'https://contoso-admin.sharepoint.com' }
    ) {
        Clear-SandboxRequests
        { Remove-M365SpoSite -Url $Url -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'SiteRemovalRefused,M365.PowerShell.Cmdlets.RemoveM365SpoSiteCommand'
        Get-SandboxRequests | Where-Object { $_.method -ne 'GET' -and $_.path -notlike '*/token' } | Should -BeNullOrEmpty
    }

    It 'is ConfirmImpact High' {
        (Get-Command Remove-M365SpoSite).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }
}

Describe 'Add-M365SpoSite -HubSiteId, -SensitivityLabel, -PreferredDataLocation' {
    It 'sends the label in the creation, the geo of a team site, and joins the hub once the site is ready' {
        $tag = New-Tag
        $hub = Add-M365SpoSite -Type CommunicationSite -Title Hub -Url "$script:Tenant/sites/$tag-hub" -Wait
        $label = [guid]::NewGuid()
        Clear-SandboxRequests
        $site = Add-M365SpoSite -Type TeamSite -Title 'Joined' -Alias "$tag-team" -SensitivityLabel $label -PreferredDataLocation EUR -HubSiteId $hub.SiteId
        $site.HubSiteId | Should -Be $hub.SiteId
        $calls = @(Get-SandboxRequests | Where-Object { $_.method -eq 'POST' } | ForEach-Object { $_.path })
        $calls | Should -Contain '/_api/GroupSiteManager/CreateGroupEx'
        $calls | Should -Contain "/sites/$tag-team/_api/site/JoinHubSite('$($hub.SiteId)')"
        (Get-M365SpoSite -Url $site.Url -Detailed).HubSiteId | Should -Be $hub.SiteId
    }

    It 'refuses a geo that is not a three-letter code before any request' {
        Clear-SandboxRequests
        { Add-M365SpoSite -Type TeamSite -Title Geo -Alias (New-Tag) -PreferredDataLocation Europe -ErrorAction Stop } |
            Should -Throw -ErrorId 'SiteParameterInvalid,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
        Get-SandboxRequests | Where-Object { $_.method -eq 'POST' -and $_.path -notlike '*/token' } | Should -BeNullOrEmpty
    }

    It 'writes SiteOperationFailed for a hub SharePoint does not know, and the site stays' {
        $url = "$script:Tenant/sites/$(New-Tag)"
        { Add-M365SpoSite -Type CommunicationSite -Title Orphan -Url $url -HubSiteId ([guid]::NewGuid()) -ErrorAction Stop } |
            Should -Throw -ErrorId 'SiteOperationFailed,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
        (Get-M365SpoSite -Url $url).Status | Should -Be 'Ready'
    }
}

