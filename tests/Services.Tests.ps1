#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: the service cmdlets (Get-M365AadSp, Add-M365SpoSite, Invoke-M365Request) in real pwsh against a sandbox tenant
# started as a child process, each checked against the sandbox's request log.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $script:Sandbox).Credential -WarningAction SilentlyContinue
    $script:GraphAppId = '00000003-0000-0000-c000-000000000000'
    $script:Tenant = 'https://contoso.sharepoint.com'

    function New-SiteUrl([string] $Prefix) { "$script:Tenant/sites/$Prefix-$([guid]::NewGuid().ToString('N').Substring(0, 10))" }
    # Warm the Graph and SharePoint tokens, so the logs below show the service requests alone.
    $null = Get-M365AccessToken -Resource Graph, SharePoint
}

AfterAll {
    Stop-TestSession
}

Describe 'Get-M365AadSp' {
    It 'looks Microsoft Graph up by app id with one request' {
        Clear-SandboxRequests
        $sp = Get-M365AadSp -AppId $script:GraphAppId
        $sp.DisplayName | Should -Be 'Microsoft Graph'
        $sp.AppRoles.Value | Should -Contain 'Application.Read.All'
        $sp.PSObject.TypeNames[0] | Should -Be 'M365.ServicePrincipal'
        $calls = Get-SandboxRequests
        $calls.Count | Should -Be 1
        [uri]::UnescapeDataString($calls[0].query) | Should -Match "appId eq '$script:GraphAppId'"
    }

    It 'batches piped app ids, keeps their order, and writes one error for the missing one' {
        $known = @(Get-M365AadSp -Property appId | Select-Object -First 24).AppId
        $missing = [guid]::NewGuid()
        $ids = @($known[0..9]) + $missing + @($known[10..23])
        Clear-SandboxRequests

        $found = $ids | Get-M365AadSp -ErrorVariable failures -ErrorAction SilentlyContinue

        @($found.AppId) | Should -Be @($ids | Where-Object { $_ -ne $missing })
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ServicePrincipalNotFound,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $missing
        @(Get-SandboxRequests | Where-Object { $_.path -eq '/v1.0/$batch' }).Count | Should -Be 2
        @(Get-SandboxRequests | Where-Object { -not $_.batchId }).Count | Should -Be 2
    }

    It 'writes ServicePrincipalNotFound for a display name that matches nothing, as for an app id, and goes on' {
        $found = Get-M365AadSp -DisplayName 'No such app', 'Yammer' -ErrorVariable failures -ErrorAction SilentlyContinue
        @($found.DisplayName) | Should -Be @('Yammer')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ServicePrincipalNotFound,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'No such app'
    }

    It 'maps a trailing * in -DisplayName to startswith, quotes escaped, and refuses a * elsewhere before sending' {
        Clear-SandboxRequests
        @((Get-M365AadSp -DisplayName 'Office*').DisplayName) | Should -Be @('Office 365 SharePoint Online', 'Office 365 Management APIs')
        [uri]::UnescapeDataString((Get-SandboxRequests)[0].query) | Should -Match ([regex]::Escape("`$filter=startswith(displayName,'Office')"))
        (Get-M365AadSp -DisplayName "Margie's Travel Payroll C*").DisplayName | Should -Be "Margie's Travel Payroll Connector"
        Get-M365AadSp -DisplayName 'Nothing starts like this*' -ErrorVariable none | Should -BeNullOrEmpty
        $none | Should -BeNullOrEmpty
        Clear-SandboxRequests
        { Get-M365AadSp -DisplayName '*SharePoint*' -ErrorAction Stop } |
            Should -Throw -ErrorId 'BadRequest,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'completes -Property only with properties Graph can $select on servicePrincipal' {
        $line = 'Get-M365AadSp -Property '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'appId'
        $names | Should -Contain 'servicePrincipalType'
        $names | Should -Contain 'applicationTemplateId'
        $names | Should -Not -Contain 'owners'
        $names | Should -Not -Contain 'createdDateTime'
        $null = Get-M365AadSp -AppId $script:GraphAppId -Property $names -ErrorAction Stop
    }

    It 'shows the table view with Out-String' {
        $text = Get-M365AadSp -AppId $script:GraphAppId | Out-String -Width 250
        $text | Should -Match 'DisplayName\s+AppId\s+Id\s+ServicePrincipalType\s+AccountEnabled'
        $text | Should -Match 'Microsoft Graph\s+00000003-0000-0000-c000-000000000000'
    }

    It 'names every table column that shows a property after that property, so Select-Object and Sort-Object take the header' {
        $format = [xml](Get-Content -Raw (Join-Path (Split-Path $script:Manifest) 'M365.Format.ps1xml'))
        foreach ($view in $format.Configuration.ViewDefinitions.View | Where-Object { $_['TableControl'] }) {
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
            for ($i = 0; $i -lt $items.Count; $i++) {
                if ($items[$i].PSObject.Properties['PropertyName']) {
                    $headers[$i].Label | Should -Be $items[$i].PropertyName -Because "column $i of $($view.Name)"
                }
            }
        }
        $sp = Get-M365AadSp -AppId $script:GraphAppId
        ($sp | Select-Object ServicePrincipalType, AccountEnabled).AccountEnabled | Should -BeTrue
    }
}

Describe 'Add-M365SpoSite' {
    It 'writes a site whose Type and Status are names in ConvertTo-Json and Export-Csv, without the request it was made from' {
        $site = Add-M365SpoSite -Type CommunicationSite -Title Shape -Url (New-SiteUrl 'shape') -Lcid 1033
        $json = $site | ConvertTo-Json -Depth 5
        ($json | ConvertFrom-Json).PSObject.Properties.Name | Should -Be @('Url', 'Title', 'Type', 'Template', 'Status', 'SiteId', 'GroupId', 'Created', 'Owner', 'StorageUsageMB', 'StorageQuotaMB', 'SharingCapability', 'LockState', 'HubSiteId')
        $json | Should -Match '"Type": "CommunicationSite"'
        $json | Should -Match '"Status": "(Provisioning|Ready)"'
        $json | Should -Not -Match 'Request|Lcid|Owners|SiteDesign'
        ($site | Format-List * | Out-String) | Should -Not -Match 'Request|Lcid'
        ($site | ConvertTo-Csv | ConvertFrom-Csv).Type | Should -Be 'CommunicationSite'
        $site.Status | Should -BeIn 'Provisioning', 'Ready'
        $site.Created | Should -BeOfType [DateTimeOffset]
        $site.Created.Offset | Should -Be ([TimeZoneInfo]::Local.GetUtcOffset($site.Created.UtcDateTime))
        @($site | Where-Object Created -gt (Get-Date).AddDays(-1)).Count | Should -Be 1
    }

    It 'creates a communication site and waits until it is ready' {
        $url = New-SiteUrl 'news'
        $site = Add-M365SpoSite -Type CommunicationSite -Title News -Url $url -SiteDesign Showcase -Wait
        $site.Status | Should -Be 'Ready'
        $site.Url | Should -Be $url
        $site.PSObject.TypeNames[0] | Should -Be 'M365.SpoSite'
        ($site | Out-String -Width 250) | Should -Match 'Url\s+Title\s+Type\s+Status\s+Created'
    }

    It 'shows a site that follows other output (out of band) by its table columns, not the request it was made from' {
        $text = & { Get-M365Connection; Add-M365SpoSite -Type CommunicationSite -Title OutOfBand -Url (New-SiteUrl 'oob') } | Out-String -Width 200
        $text | Should -Match 'Title\s*:\s*OutOfBand'
        $text | Should -Match 'Status\s*:\s*Ready'
        $text | Should -Not -Match 'Request\s*:|SiteId\s*:'
    }

    It 'sends nothing with -WhatIf' {
        Clear-SandboxRequests
        Add-M365SpoSite -Type CommunicationSite -Title News -Url (New-SiteUrl 'whatif') -WhatIf
        Get-SandboxRequests | Should -BeNullOrEmpty
    }

    It 'creates 19 sites from a CSV of 20 with one bad row, which writes one error' {
        $csv = Join-Path $script:Sandbox.State 'sites.csv'
        $rows = 1..20 | ForEach-Object { [pscustomobject]@{ Type = 'CommunicationSite'; Title = "Site $_"; Url = (New-SiteUrl "csv$_") } }
        $rows[7].Url = 'not a url'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/sites/provisioning' -Body @{ seconds = 1 }
        try {
            $sites = Import-Csv $csv | Add-M365SpoSite -Wait -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/sites/provisioning' -Body @{ seconds = 0 }
        }

        $sites.Count | Should -Be 19
        $sites.Status | Sort-Object -Unique | Should -Be 'Ready'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SiteParameterInvalid,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be 'not a url'
        "$($failures[0])" | Should -Match 'SiteUrlAbsolute'
    }

    It 'refuses an existing URL with SiteAlreadyExists' {
        $url = New-SiteUrl 'twice'
        $null = Add-M365SpoSite -Type CommunicationSite -Title Once -Url $url
        { Add-M365SpoSite -Type CommunicationSite -Title Twice -Url $url -ErrorAction Stop } |
            Should -Throw -ErrorId 'SiteAlreadyExists,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
    }
}

Describe 'Get-M365SpoSite' {
    It 'reports a new site as ready with its title, template and creation time, from its URL or the site itself' {
        $url = New-SiteUrl 'get'
        $created = Add-M365SpoSite -Type CommunicationSite -Title 'Get me' -Url $url
        Clear-SandboxRequests
        $site = Get-M365SpoSite -Url $url
        $site.Status | Should -Be 'Ready'
        $site.Title | Should -Be 'Get me'
        $site.Template | Should -Be 'SITEPAGEPUBLISHING#0'
        $site.Type | Should -Be 'CommunicationSite'
        $site.Created | Should -BeOfType [DateTimeOffset]
        $site.PSObject.TypeNames[0] | Should -Be 'M365.SpoSite'
        @(Get-SandboxRequests | ForEach-Object { $_.path }) | Should -Be @('/_api/SPSiteManager/status', "$(([uri]$url).AbsolutePath)/_api/web", "$(([uri]$url).AbsolutePath)/_api/site")
        ($created | Get-M365SpoSite).Url | Should -Be $url
        ($site | Format-List | Out-String) | Should -Match 'Template\s*:\s*SITEPAGEPUBLISHING#0'
    }

    It 'writes SiteNotFound for a URL with no site, and the other URLs go on' {
        $missing = New-SiteUrl 'missing'
        $found = Get-M365SpoSite -Url $missing, $script:Tenant -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.Url | Should -Be $script:Tenant
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SiteNotFound,M365.PowerShell.Cmdlets.GetM365SpoSiteCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $missing
        { Get-M365SpoSite -Url $missing -ErrorAction Stop } | Should -Throw -ErrorId 'SiteNotFound,M365.PowerShell.Cmdlets.GetM365SpoSiteCommand'
    }

    It 'follows the sites a stopped Add-M365SpoSite -Wait names in its warning, in a pwsh of its own' {
        # The child stops its own pipeline as Ctrl+C does (PowerShell.Stop), with the console host, and prints what a person sees.
        $identity = Get-TestIdentity -Sandbox $script:Sandbox
        $urls = (New-SiteUrl 'stop-a'), (New-SiteUrl 'stop-b')
        $file = Join-Path $script:Sandbox.State ('stop-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value @"
`$env:M365_SANDBOX = '$($script:Sandbox.DescriptorPath)'
`$runspace = [runspacefactory]::CreateRunspace(`$Host)
`$runspace.Open()
`$ps = [powershell]::Create()
`$ps.Runspace = `$runspace
`$null = `$ps.AddScript({
    param(`$Urls, `$Credential)
    Import-Module '$script:Manifest'
    Connect-M365 -Sandbox -Credential `$Credential -WarningAction SilentlyContinue | Out-Null
    `$Urls | ForEach-Object { [pscustomobject]@{ Type = 'CommunicationSite'; Title = 'Stopped'; Url = `$_ } } | Add-M365SpoSite -Wait
}).AddArgument(@('$($urls -join "','")')).AddArgument([pscredential]::new('$($identity.Credential.UserName)', (ConvertTo-SecureString '$($identity.Credential.GetNetworkCredential().Password)' -AsPlainText -Force)))
`$invocation = `$ps.BeginInvoke()
# Both sites are submitted and waited for once the progress bar counts two (read by index: the pipeline adds meanwhile).
`$deadline = [DateTime]::UtcNow.AddSeconds(60)

while ([DateTime]::UtcNow -lt `$deadline) {
    `$counted = `$false
    for (`$i = 0; `$i -lt `$ps.Streams.Progress.Count; `$i++) { if (`$ps.Streams.Progress[`$i].StatusDescription -like '0 of 2 sites*') { `$counted = `$true } }
    if (`$counted) { break }
    Start-Sleep -Milliseconds 100
}
`$ps.Stop()
"STATE `$(`$ps.InvocationStateInfo.State)"
"@
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/sites/provisioning' -Body @{ seconds = 120 }
        try {
            $pwsh = Get-TestPwsh
            $output = & $pwsh.FilePath @($pwsh.Prefix) -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" -replace '\e\[[0-9;]*m', '' }
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method PUT -Path '/sites/provisioning' -Body @{ seconds = 0 }
        }

        $text = $output -join "`n"
        $text | Should -Match 'STATE Stopped'
        $warning = @($output | Where-Object { $_ -match 'WARNING: Stopped while 2 submitted site\(s\) were still provisioning' })
        $warning.Count | Should -Be 1 -Because $text
        $command = $warning[0].Substring($warning[0].IndexOf('Get-M365SpoSite'))
        $command | Should -Be "Get-M365SpoSite -Url '$($urls[0])', '$($urls[1])'"
        $sites = Invoke-Expression $command
        @($sites.Url) | Should -Be $urls
        @($sites.Status | Sort-Object -Unique) | Should -Be 'Provisioning'
    }
}

Describe 'Invoke-M365Request' {
    It '-WhatIf names the whole URL a relative -Uri resolves to, masking only secrets in its query' {
        $script = @'
$credential = [pscredential]::new($env:M365_TEST_USER, (ConvertTo-SecureString $env:M365_TEST_PASSWORD -AsPlainText -Force))
Connect-M365 -Sandbox -Credential $credential
Invoke-M365Request -Service Graph 'v1.0/groups?$select=id&sig=abc123' -Method POST -Body @{ displayName = 'Lab' } -WhatIf
Invoke-M365Request https://contoso.sharepoint.com/sites/news/_api/web -Method PATCH -Body '{}' -WhatIf
'@
        $credential = (Get-TestIdentity -Sandbox $script:Sandbox).Credential
        Clear-SandboxRequests
        $output = @(Invoke-InNewSession -Script $script -Environment @{ M365_TEST_USER = $credential.UserName; M365_TEST_PASSWORD = $credential.GetNetworkCredential().Password })
        $output | Should -Contain 'What if: Performing the operation "POST" on target "https://graph.microsoft.com/v1.0/groups?$select=id&sig=***".'
        $output | Should -Contain 'What if: Performing the operation "PATCH" on target "https://contoso.sharepoint.com/sites/news/_api/web".'
        Get-SandboxRequests | Where-Object { $_.method -ne 'GET' -and $_.path -notlike '*/token' } | Should -BeNullOrEmpty
    }

    It 'reads Graph with a relative URI and a service' {
        (Invoke-M365Request -Service Graph v1.0/me).userPrincipalName | Should -Match '^admin@'
        Invoke-M365Request -Service Graph v1.0/me -Raw | Should -BeOfType [string]
    }

    It 'follows nextLinks with -All and writes every item' {
        $items = Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=7&$select=id' -All
        $items.Count | Should -Be (Get-M365AadSp -Property id).Count
    }

    It 'sends no token to a foreign nextLink' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ kind = 'NextLinkForeignHost'; host = 'graph.microsoft.com'; path = '/v1.0/servicePrincipals'; foreignHost = 'evil.example.com'; times = 1 }
        Clear-SandboxRequests
        { Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=5' -All -ErrorAction Stop } |
            Should -Throw -ErrorId 'ODataNextLinkForeignHost,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        Get-SandboxRequests | Where-Object { $_.host -like '*evil*' } | Should -BeNullOrEmpty
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults'
    }

    It 'refuses a stream body with RequestBodyInvalid, and sends nothing' {
        $file = Join-Path $TestDrive 'body.json'
        Set-Content -LiteralPath $file -Value '{"displayName":"x"}'
        $stream = [IO.File]::OpenRead($file)
        try {
            Clear-SandboxRequests
            foreach ($body in $stream, @{ content = $stream }) {
                $err = $null
                Invoke-M365Request -Service Graph v1.0/groups -Method POST -Body $body -ErrorVariable err -ErrorAction SilentlyContinue
                $err.Count | Should -Be 1
                $err[0].FullyQualifiedErrorId | Should -Be 'RequestBodyInvalid,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
                $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
                "$err" | Should -Match 'System\.IO\.FileStream'
            }
            Get-SandboxRequests | Should -BeNullOrEmpty
        }
        finally { $stream.Dispose() }
    }

    It 'refuses an unknown host without -Resource, and sends nothing' {
        Clear-SandboxRequests
        { Invoke-M365Request https://api.contoso.example/items -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownResource,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        Get-SandboxRequests | Should -BeNullOrEmpty
    }
}

Describe 'Add-M365SpoSite from a CSV with yes/no columns' {
    It 'binds True, False and empty cells to the switches, and names a value that is neither' {
        $csv = Join-Path $script:Sandbox.State ('switches-' + [guid]::NewGuid().ToString('N') + '.csv')
        @(
            'Type,Title,Url,ShareByEmailEnabled'
            "CommunicationSite,Yes,$(New-SiteUrl 'csv-yes'),True"
            "CommunicationSite,No,$(New-SiteUrl 'csv-no'),False"
            "CommunicationSite,Empty,$(New-SiteUrl 'csv-empty'),"
            "CommunicationSite,Bad,$(New-SiteUrl 'csv-bad'),maybe"
        ) | Set-Content -LiteralPath $csv
        Clear-SandboxRequests
        $null = Import-Csv -LiteralPath $csv | Add-M365SpoSite -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SiteParameterInvalid,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject.Title | Should -Be 'Bad'
        "$($failures[0])" | Should -Match "the ShareByEmailEnabled cell 'maybe' is not a yes or no value"
        Get-SandboxRequests | Where-Object Method -eq 'POST' | Should -BeNullOrEmpty
    }
}

Describe 'Add-M365SpoSite from a CSV that mixes site types' {
    It 'creates team, communication and classic sites from one file, each row using the columns of its Type' {
        $csv = Join-Path $script:Sandbox.State ('mixed-' + [guid]::NewGuid().ToString('N') + '.csv')
        $alias = 'mixed' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $comm = New-SiteUrl 'mixed-comm'
        $classic = New-SiteUrl 'mixed-classic'
        $upn = (Get-TestIdentity -Sandbox $script:Sandbox).Credential.UserName
        @(
            'Type,Title,Alias,Url,IsPublic,SiteDesign,TimeZone,Owners,Notes'
            "TeamSite,Team,$alias,,yes,,,,a column no parameter has"
            "CommunicationSite,Comm,,$comm,,Showcase,,,"
            "ClassicSite,Classic,,$classic,,,4,$upn,"
        ) | Set-Content -LiteralPath $csv
        $sites = Import-Csv -LiteralPath $csv | Add-M365SpoSite -Wait -Owners $upn -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -BeNullOrEmpty
        @($sites).Count | Should -Be 3
        ($sites | Sort-Object Title | ForEach-Object { "$($_.Title)=$($_.Type)/$($_.Status)" }) -join ' ' |
            Should -Be 'Classic=ClassicSite/Ready Comm=CommunicationSite/Ready Team=TeamSite/Ready'
        ($sites | Where-Object Title -eq 'Comm').Url | Should -Be $comm
        ($sites | Where-Object Title -eq 'Classic').Url | Should -Be $classic
    }

    It 'takes hashtables too, and names every bad cell of a row in one error while the other rows go on' {
        Clear-SandboxRequests
        $good = New-SiteUrl 'hash-good'
        $null = @(
            @{ type = 'communicationsite'; title = 'Good'; url = $good }
            [pscustomobject]@{ Type = 'ClassicSite'; Title = 'Bad'; Url = (New-SiteUrl 'hash-bad'); TimeZone = 'four'; StorageQuota = '1.5e400' }
            [pscustomobject]@{ Title = 'No type'; Url = (New-SiteUrl 'hash-notype') }
        ) | Add-M365SpoSite -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 2
        $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'SiteParameterInvalid,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
        "$($failures[0])" | Should -Match "the TimeZone cell 'four' is not a whole number"
        "$($failures[0])" | Should -Match "the StorageQuota cell '1.5e400' is not"
        $failures[0].TargetObject.Title | Should -Be 'Bad'
        "$($failures[1])" | Should -Match 'it has no Type'
        Get-SandboxRequests | Where-Object Method -eq 'POST' | Should -BeNullOrEmpty
    }

    It 'still binds by property name when -Type is given for every row' {
        $url = New-SiteUrl 'typed'
        $site = [pscustomobject]@{ Title = 'Typed'; Url = $url } | Add-M365SpoSite -Type CommunicationSite
        $site.Url | Should -Be $url
        $site.Type | Should -Be 'CommunicationSite'
    }
}

Describe 'Answers an attacker could give (issue 16, security 6 to 9)' {
    AfterEach { $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults' }

    It 'writes one ResponseItemInvalid per list item that is not an object, and the other items go on' {
        $sp = Get-M365AadSp -AppId $script:GraphAppId
        $body = '{"value":["x",' + (@{ id = "$($sp.Id)"; appId = "$($sp.AppId)" } | ConvertTo-Json -Compress) + ',5,null]}'
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ kind = 'Body'; host = 'graph.microsoft.com'; path = '/v1.0/servicePrincipals'; query = '*$top=999*'; body = $body; times = 1 }

        $found = Get-M365AadSp -ErrorVariable failures -ErrorAction SilentlyContinue

        @($found).Count | Should -Be 1
        $found.AppId | Should -Be $sp.AppId
        $failures.Count | Should -Be 3
        $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'ResponseItemInvalid,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'refuses a body over -MaximumResponseSize with ResponseTooLarge, and reads it once the limit is raised' {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ kind = 'LargeBody'; host = 'graph.microsoft.com'; path = '/v1.0/me'; bodyBytes = 3MB }
        { Invoke-M365Request -Service Graph v1.0/me -Raw -MaximumResponseSize 1MB -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResponseTooLarge,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        (Invoke-M365Request -Service Graph v1.0/me -Raw -MaximumResponseSize 4MB).Length | Should -Be 3MB
    }

    It 'stops endless distinct nextLinks at -MaximumPageCount with ODataPageLimitExceeded' {
        $body = '{"value":[{"id":"{n}"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$top=1&$skiptoken=endless{n}"}'
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ kind = 'Body'; host = 'graph.microsoft.com'; path = '/v1.0/servicePrincipals'; body = $body }

        $items = Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=1' -All -MaximumPageCount 3 -ErrorVariable failures -ErrorAction SilentlyContinue

        @($items.id) | Should -Be @('1', '2', '3')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ODataPageLimitExceeded,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'refuses a NUL in a CSV Owners cell with SiteParameterInvalid before any request' {
        $csv = Join-Path $script:Sandbox.State ('nul-' + [guid]::NewGuid().ToString('N') + '.csv')
        "Type,Title,Url,TimeZone,Owners`nClassicSite,Archive,$(New-SiteUrl 'nul'),4,admin`0@contoso.onmicrosoft.com" | Set-Content -LiteralPath $csv
        Clear-SandboxRequests

        $null = Import-Csv -LiteralPath $csv | Add-M365SpoSite -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SiteParameterInvalid,M365.PowerShell.Cmdlets.AddM365SpoSiteCommand'
        "$($failures[0])" | Should -Match '\[TextCharacters\] -Owners has the character U\+0000'
        Get-SandboxRequests | Where-Object Method -eq 'POST' | Should -BeNullOrEmpty
    }
}
