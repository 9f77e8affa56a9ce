#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: M365 as a seasoned PowerShell user meets it: pipeline binding, familiar parameter names, views that show
# what matters, and errors that carry the fix. Against a sandbox started as a child process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    $identity = Get-TestIdentity -Sandbox $script:Sandbox
    $script:Seed, $script:App, $script:Secret, $script:Credential = $identity.Seed, $identity.App, $identity.Secret, $identity.Credential
}

AfterAll {
    Stop-TestSession
}

Describe 'Pipeline binding' {
    BeforeAll {
        $script:Work = Connect-M365 -Sandbox -Credential $script:Credential -Name work -PassThru -WarningAction SilentlyContinue
        $null = Connect-M365 -Sandbox -Credential $script:Credential -Name other -WarningAction SilentlyContinue
    }

    AfterAll { Disconnect-M365 -All }

    It 'binds a piped connection to -Connection' {
        $token = Get-M365Connection -Name work | Get-M365AccessToken -Resource SharePoint
        $token.Audience | Should -Be "https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com"
        $token.Connection | Should -Be 'work'
    }

    It 'binds piped names and -Resource by property name' {
        (@('Graph', 'SharePoint') | Get-M365AccessToken -Connection work).Resource | Should -HaveCount 2
        ([pscustomobject]@{ Resource = 'Management' } | Get-M365AccessToken).Audience | Should -Be 'https://manage.office.com'
    }

    It 'takes a connection name wherever it takes a connection' {
        (Get-M365AccessToken -Connection work).Connection | Should -Be 'work'
        { Get-M365AccessToken -Connection wrok -ErrorAction Stop } | Should -Throw -ExpectedMessage "*no connection named 'wrok'. Open connections: work, other*"
        Disconnect-M365 other
        Get-M365Connection -All | ForEach-Object Name | Should -Be 'work'
    }
}

Describe 'Parameter names people already type' {
    AfterEach { Disconnect-M365 -All }

    It 'takes -TenantId and -ClientSecretCredential (user name = app id)' {
        $credential = [pscredential]::new($script:App.appId, $script:Secret)
        $c = Connect-M365 -Sandbox -TenantId $script:Seed.tenantId -ClientSecretCredential $credential -PassThru
        $c.AuthType | Should -Be 'ClientSecret'
        $c.AppId | Should -Be $script:App.appId
        $c.Name | Should -Not -Match '\s' -Because 'an app-only connection name is app@tenant without spaces'
    }

    It 'knows the aliases of Az, Microsoft.Graph and PnP' {
        $parameters = (Get-Command Connect-M365).Parameters
        $parameters['Tenant'].Aliases | Should -Contain 'TenantId'
        $parameters['Thumbprint'].Aliases | Should -Contain 'CertificateThumbprint'
        $parameters['ManagedIdentity'].Aliases | Should -Contain 'Identity'
        $parameters['UseDeviceCode'].Aliases | Should -Contain 'UseDeviceAuthentication'
        $parameters['UseDeviceCode'].Aliases | Should -Contain 'DeviceLogin'
    }

    It 'requires -AppId for a secret or a certificate' {
        $appId = (Get-Command Connect-M365).Parameters['AppId'].ParameterSets
        foreach ($set in 'ClientSecret', 'CertificatePath', 'Certificate', 'Thumbprint') {
            $appId[$set].IsMandatory | Should -BeTrue -Because "-AppId is mandatory in the $set set"
        }
        $appId['DeviceCode'].IsMandatory | Should -BeFalse
    }

    It 'takes -AccessToken as a SecureString' {
        $null = Connect-M365 -Sandbox -Tenant $script:Seed.tenantId -AppId $script:App.appId -ClientSecret $script:Secret
        $secure = (Get-M365AccessToken -AsSecureString).Token
        $secure | Should -BeOfType [securestring]
        $c = Connect-M365 -Sandbox -AccessToken $secure -PassThru
        $c.AuthType | Should -Be 'AccessToken'
        (Get-M365AccessToken -Connection $c).Audience | Should -Be 'https://graph.microsoft.com'
    }
}

Describe 'Output that shows what matters' {
    BeforeAll {
        $script:Connection = Connect-M365 -Sandbox -Credential $script:Credential -PassThru -WarningAction SilentlyContinue
        $script:Token = Get-M365AccessToken -Resource Graph
    }

    AfterAll { Disconnect-M365 -All }

    It 'shows tokens as a table without the token' {
        $text = Get-M365AccessToken -Resource Graph, SharePoint | Out-String -Width 200
        $text | Should -Match 'Resource\s+IdentityType\s+ExpiresOn\s+ExpiresIn\s+Permissions'
        $text | Should -Match 'in (59|60) min'
        $text | Should -Not -Match 'eyJ'
        $script:Token.Token | Should -Match '^eyJ'
    }

    It 'never shows the token when tokens follow other output (PowerShell formats them out of band)' {
        $text = & { Get-M365Connection; Get-M365AccessToken -Resource Graph, SharePoint } | Out-String -Width 200
        $text | Should -Match 'https://graph.microsoft.com'
        $text | Should -Not -Match 'eyJ'
        $text | Should -Not -Match 'Token\s*:'
    }

    It 'shows a connection that follows a token out of band by its five default properties' {
        $text = & { Get-M365AccessToken -Resource Graph; Get-M365Connection } | Out-String -Width 200
        $text | Should -Match 'AuthType\s*:\s*Credential'
        $text | Should -Not -Match 'TokenCache\s*:|SharePointTenant\s*:|eyJ'
    }

    It 'shows iat, nbf and exp as local dates beside the numbers with -Decoded' {
        $decoded = Get-M365AccessToken -Decoded
        $exp = [DateTimeOffset]::FromUnixTimeSeconds($decoded.Claims['exp']).ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss')
        ($decoded | Format-List | Out-String -Width 200) | Should -Match ([regex]::Escape("exp = $($decoded.Claims['exp']) ($exp)"))
    }

    It 'keeps the token store and pipeline out of Format-List * and ConvertTo-Json, showing only the request settings a user sets' {
        $list = $script:Connection | Format-List * | Out-String -Width 300
        $json = $script:Connection | ConvertTo-Json -Depth 6
        foreach ($text in $list, $json) {
            $text | Should -Not -Match '\bTokens\b|\bRequests\b|PerAttemptTimeout|MaxResponseBytes|BaseDelay|eyJ'
        }
        $parsed = $json | ConvertFrom-Json
        $parsed.AuthType | Should -Be 'Credential'
        $parsed.Resources[0].PSObject.Properties.Name | Should -Be @('Resource', 'ExpiresOn', 'Scopes')
        $parsed.RequestSettings.PSObject.Properties.Name | Should -Be @('Scope', 'Connection', 'MaxRetry', 'RetryDelay', 'RequestTimeout', 'Source')
    }

    It 'does not repeat the name in ToString' {
        "$($script:Connection)" | Should -Be "$($script:Credential.UserName) (Credential, $($script:Connection.Tenant))"
    }

    It 'writes times as the README says: local DateTimeOffset values that compare with Get-Date' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '..' 'README.md')
        $readme | Should -Match ([regex]::Escape('a site''s `Created`) is a `[DateTimeOffset]` in local time'))
        $connection = Get-M365Connection
        foreach ($time in $connection.ConnectedOn, $connection.ExpiresOn, $script:Token.ExpiresOn, $connection.Resources[0].ExpiresOn) {
            $time | Should -BeOfType [DateTimeOffset]
            $time.Offset | Should -Be ([TimeZoneInfo]::Local.GetUtcOffset($time.UtcDateTime))
        }
        @(Get-M365Connection | Where-Object ConnectedOn -gt (Get-Date).AddHours(-1)).Count | Should -Be 1
        # The views show yyyy-MM-dd HH:mm:ss; Format-List * and Export-Csv the value as .NET writes it; JSON ISO 8601.
        ($connection | Format-List | Out-String -Width 300) | Should -Match "ConnectedOn\s*:\s*$([regex]::Escape($connection.ConnectedOn.ToString('yyyy-MM-dd HH:mm:ss')))"
        ($connection | Format-List * | Out-String -Width 300) | Should -Match "ConnectedOn\s*:\s*$([regex]::Escape($connection.ConnectedOn.ToString()))"
        $connection | ConvertTo-Json -Depth 4 | Should -Match '"ConnectedOn": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d"'
        $csv = $connection | ConvertTo-Csv | ConvertFrom-Csv
        ([DateTimeOffset]$csv.ConnectedOn).ToUnixTimeSeconds() | Should -Be $connection.ConnectedOn.ToUnixTimeSeconds()
    }

    It 'lists connections as a table with local expiry and a countdown' {
        $text = Get-M365Connection -All | Out-String -Width 250
        $text | Should -Match 'Name\s+Identity\s+AuthType\s+Tenant\s+Expires'
        $text | Should -Match '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in \d+ min\)'
    }
}

Describe 'Errors carry the fix' {
    AfterEach { Disconnect-M365 -All -ErrorAction SilentlyContinue }

    It 'a wrong password is InvalidCredentials with what to do' {
        $wrong = [pscredential]::new($script:Credential.UserName, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        $e = { Connect-M365 -Sandbox -Credential $wrong -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'InvalidCredentials,M365.PowerShell.Cmdlets.ConnectM365Command' -PassThru
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e.ErrorDetails.RecommendedAction | Should -Match 'password'
        $e.Exception.Message | Should -Match 'AADSTS50126: '
        $e.Exception.Message | Should -Not -Match 'configuration issue|Original exception'
    }

    It 'a resource that is not in the tenant is ResourceNotInTenant' {
        $null = Connect-M365 -Sandbox -Credential $script:Credential -WarningAction SilentlyContinue
        $e = { Get-M365AccessToken -Resource https://fabrikam.sharepoint.com -ErrorAction Stop } | Should -Throw -ErrorId 'ResourceNotInTenant,M365.PowerShell.Cmdlets.GetM365AccessTokenCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'an unreachable Entra ID (a stopped sandbox) is AuthorityUnreachable, not a raw HttpRequestException' {
        $dead = Join-Path $script:Sandbox.State 'dead-sandbox.json'
        $descriptor = Get-Content -Raw $script:Sandbox.DescriptorPath | ConvertFrom-Json
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $descriptor.url = "https://127.0.0.1:$port"; $descriptor.port = $port
        $descriptor | ConvertTo-Json | Set-Content -LiteralPath $dead
        $env:M365_SANDBOX = $dead
        try {
            $e = { Connect-M365 -Sandbox -Credential $script:Credential -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'AuthorityUnreachable,M365.PowerShell.Cmdlets.ConnectM365Command' -PassThru
            $e.CategoryInfo.Category | Should -Be 'ConnectionError'
            $e.ErrorDetails.RecommendedAction | Should -Match 'sandbox'
        }
        finally {
            $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
        }
    }

    It 'a missing PFX is CertificateNotFound and a bad one CertificateInvalid, in plain words' {
        $missing = Join-Path $script:Sandbox.State 'nope.pfx'
        { Connect-M365 -Sandbox -Tenant $script:Seed.tenantId -AppId $script:App.appId -CertificatePath $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateNotFound,M365.PowerShell.Cmdlets.ConnectM365Command'
        $bad = Join-Path $script:Sandbox.State 'bad.pfx'
        Set-Content -LiteralPath $bad -Value 'not a pfx'
        $e = { Connect-M365 -Sandbox -Tenant $script:Seed.tenantId -AppId $script:App.appId -CertificatePath $bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateInvalid,M365.PowerShell.Cmdlets.ConnectM365Command' -PassThru
        $e.Exception.Message | Should -Not -Match 'BIO routines|error:'
    }

    It '-Tenant contoso suggests contoso.onmicrosoft.com before sending anything' {
        $e = { Connect-M365 -Sandbox -Tenant contoso -AppId $script:App.appId -ClientSecret $script:Secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'TenantNotFound,M365.PowerShell.Cmdlets.ConnectM365Command' -PassThru
        $e.ErrorDetails.RecommendedAction | Should -Be 'Did you mean -Tenant contoso.onmicrosoft.com?'
    }

    It 'ConnectionNotFound has one category everywhere, and Disconnect-M365 asks for nothing when nothing is connected' {
        $errors = @(
            { Get-M365AccessToken -ErrorAction Stop }
            { Get-M365Connection -ErrorAction Stop }
            { Disconnect-M365 -ErrorAction Stop }
        ) | ForEach-Object { try { & $_ } catch { $_ } }
        $errors.CategoryInfo.Category | Sort-Object -Unique | Should -Be 'ObjectNotFound'
        $errors[2].ErrorDetails.RecommendedAction | Should -Not -Match 'Get-M365Connection -All'
    }
}

Describe 'Persisted sign-ins by name' {
    BeforeAll {
        $null = Connect-M365 -Sandbox -Credential $script:Credential -PersistLogin -AllowUnencryptedTokenCache -Name work -WarningAction SilentlyContinue
    }

    AfterAll {
        Disconnect-M365 -Name work -ErrorAction SilentlyContinue
        Disconnect-M365 -All
    }

    It 'lists persisted sign-ins not resumed yet' {
        Get-M365Connection -ListAvailable | Should -BeNullOrEmpty -Because 'this session resumed work itself'
        $output = Invoke-InNewSession -Script '(Get-M365Connection -ListAvailable | Format-Table Name, Identity, UsesSandbox -HideTableHeaders | Out-String).Trim()'
        ($output -join ' ') | Should -Match "work\s+$([regex]::Escape($script:Credential.UserName))\s+True"
    }

    It 'warns about a name that matches no persisted sign-in, naming the persisted ones' {
        # A new -NonInteractive session: the warning comes first, then device code stops with DeviceCodeNonInteractive.
        $output = Invoke-InNewSession -Script "`$WarningPreference = 'Continue'; Connect-M365 -Sandbox -Name wrok 3>&1 | ForEach-Object { `"`$_`" }"
        ($output -join ' ') | Should -Match "No sign-in is persisted under the name 'wrok' \(persisted: work\).*-PersistLogin"
        ($output -join ' ') | Should -Match 'DeviceCodeNonInteractive'
    }
}

Describe '-Debug shows the HTTP exchange and never asks' {
    It 'writes a DEBUG line per exchange (status, time, ids) in a -NonInteractive session, with no prompt and no secret' {
        # PowerShell 7.6 turns -Debug into Inquire for a compiled cmdlet's verbose and warning lines: each one asked
        # "Continue with this operation?", which fails at once in a -NonInteractive session (as here).
        $script = @'
$WarningPreference = 'Continue'
$credential = [pscredential]::new($env:M365_TEST_USER, (ConvertTo-SecureString $env:M365_TEST_PASSWORD -AsPlainText -Force))
& {
    Connect-M365 -Sandbox -Credential $credential -Debug
    try { Invoke-M365Request -Service Graph v1.0/nope -Debug } catch { 'ERROR ' + $_.FullyQualifiedErrorId }
    try { Invoke-M365Request -Service Graph v1.0/servicePrincipals/none -Method PATCH -Body @{ displayName = 'x' } -Debug } catch { 'ERROR ' + $_.FullyQualifiedErrorId }
    Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000 -Debug | ForEach-Object { 'SP ' + $_.DisplayName }
    $DebugPreference = 'Continue'
    $null = Get-M365AccessToken -Resource SharePoint
    $null = Invoke-M365Request -Service Graph v1.0/organization
} 5>&1 4>&1 3>&1 2>&1 | ForEach-Object { $_.GetType().Name + ' | ' + $_ }
'@
        $output = @(Invoke-InNewSession -Script $script -Environment @{ M365_TEST_USER = $script:Credential.UserName; M365_TEST_PASSWORD = $script:Credential.GetNetworkCredential().Password })
        $text = $output -join "`n"

        $text | Should -Not -Match 'NonInteractive mode|Read and Prompt|Continue with this operation'
        $output | Should -Contain 'String | ERROR ResourceNotFound,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        @($output | Where-Object { $_ -like 'String | ERROR *' }).Count | Should -Be 2
        $output | Should -Contain 'String | SP Microsoft Graph'
        $text | Should -Match 'DebugRecord \| HTTP GET https://graph\.microsoft\.com/v1\.0/nope -> 404 NotFound in \d+ ms \(attempt 1\); client-request-id: [0-9a-f-]{36}'
        $text | Should -Match 'DebugRecord \| HTTP PATCH https://graph\.microsoft\.com/v1\.0/servicePrincipals/none -> 404 NotFound in \d+ ms'
        $text | Should -Match "DebugRecord \| HTTP GET https://graph\.microsoft\.com/v1\.0/servicePrincipals\?\`$filter=appId.* -> 200 OK in \d+ ms"
        # Sign-in and token requests (MSAL's) show too: never their bodies, which hold the password.
        $text | Should -Match 'DebugRecord \| HTTP POST https://login\.microsoftonline\.com/\S+/oauth2/v2\.0/token -> 200 OK in \d+ ms; '
        # The warnings and verbose lines -Debug implies still show, without asking.
        $text | Should -Match 'WarningRecord \| Signing in with a user name and password'
        $text | Should -Match 'VerboseRecord \| GET https://graph\.microsoft\.com/v1\.0/nope -> 404 NotFound'
        # $DebugPreference = 'Continue' without -Debug shows the exchanges too (the SharePoint tenant lookup, the request).
        $text | Should -Match 'DebugRecord \| HTTP GET https://graph\.microsoft\.com/v1\.0/organization -> 200 OK'
        $text | Should -Not -Match 'eyJ|Bearer|Authorization'
        $text | Should -Not -Match ([regex]::Escape($script:Credential.GetNetworkCredential().Password))
    }
}

Describe 'Service error messages' {
    BeforeAll {
        $null = Connect-M365 -Sandbox -Credential $script:Credential -WarningAction SilentlyContinue
        function Get-ServiceError([scriptblock] $Call) {
            $failure = $null
            try { & $Call } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure
        }
        function Add-Fault([hashtable] $Rule) { $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body $Rule }
    }

    AfterAll {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults'
        Disconnect-M365 -All
    }

    It 'say the status once and end with one full stop (<Name>)' -ForEach @(
        @{ Name = '400 from the service'; Status = 400; Fault = $null; Call = { Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$filter=bogus' -ErrorAction Stop } }
        @{ Name = '400 BadRequest restated'; Status = 400; Fault = @{ status = 400; path = '/v1.0/organization'; times = 1 }; Call = { Invoke-M365Request -Service Graph v1.0/organization -ErrorAction Stop } }
        @{ Name = '403'; Status = 403; Fault = @{ status = 403; path = '/v1.0/organization'; times = 1 }; Call = { Invoke-M365Request -Service Graph v1.0/organization -ErrorAction Stop } }
        @{ Name = '404'; Status = 404; Fault = $null; Call = { Invoke-M365Request -Service Graph v1.0/nope -ErrorAction Stop } }
        @{ Name = '409'; Status = 409; Fault = @{ status = 409; path = '/v1.0/organization'; times = 1 }; Call = { Invoke-M365Request -Service Graph v1.0/organization -ErrorAction Stop } }
        @{ Name = '429 after every retry'; Status = 429; Fault = @{ status = 429; path = '/v1.0/organization'; times = 10; retryAfterSeconds = 0 }; Call = { Invoke-M365Request -Service Graph v1.0/organization -ErrorAction Stop } }
        @{ Name = '500 after every retry'; Status = 500; Fault = @{ status = 500; path = '/v1.0/organization'; times = 10; retryAfterSeconds = 0 }; Call = { Invoke-M365Request -Service Graph v1.0/organization -ErrorAction Stop } }
        @{ Name = '403 with a proxy''s HTML page'; Status = 403; Fault = @{ kind = 'HtmlBody'; status = 403; path = '/v1.0/organization'; times = 1 }; Call = { Invoke-M365Request -Service Graph v1.0/organization -ErrorAction Stop } }
        @{ Name = '404 as ServicePrincipalNotFound'; Status = 404; Fault = $null; Call = { Get-M365AadSp -ObjectId ([guid]::NewGuid()) -ErrorAction Stop } }
    ) {
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults'
        if ($Fault) { Add-Fault $Fault }
        $e = Get-ServiceError $Call
        $name = [System.Net.HttpStatusCode]$Status
        foreach ($message in $e.Exception.Message, "$e") {
            $message | Should -Not -Match '\.\.'
            $message | Should -Match '[.!?…]$'
            [regex]::Matches($message, "\b$Status\b").Count | Should -BeLessOrEqual 1 -Because "'$message' should give the status once"
            [regex]::Matches($message, "\b$name\b", 'IgnoreCase').Count | Should -BeLessOrEqual 1 -Because "'$message' should give the status once"
        }
        if ($e.FullyQualifiedErrorId -notlike 'ServicePrincipalNotFound*') {
            $e.Exception.Message | Should -Match "failed with $Status $name\b"
        }
    }
}
