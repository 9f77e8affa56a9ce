#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Connect-M365 -Interactive in real pwsh. The end-to-end case signs in through Debian's headless Chromium
# (tests/node/browser-signin.mjs as $env:BROWSER) on the sign-in and consent pages of a sandbox started with
# --interactive-approval, as a person would; its screenshots are kept in TestResults/browser-signin/ at the repository root.
# tests/node/ensure-browser.sh (the test setup) installs chromium and playwright-core on a fresh machine.

BeforeDiscovery {
    $script:NonInteractive = @([Environment]::GetCommandLineArgs() | Where-Object { $_ -match '^[-/]+noni' }).Count -gt 0
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    $script:Manifest = Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1'
    Import-Module $script:Manifest -Force -ErrorAction Stop
    $script:Driver = Join-Path $PSScriptRoot 'node' 'browser-signin.mjs'
    $script:Artifacts = Join-Path $PSScriptRoot '..' 'TestResults' 'browser-signin'
    $script:Saved = @{}
    foreach ($name in 'BROWSER', 'DISPLAY', 'WAYLAND_DISPLAY', 'SSH_CONNECTION', 'SSH_TTY', 'M365_SANDBOX', 'M365_BROWSER_WAIT',
        'M365_BROWSER_ACCOUNT', 'M365_BROWSER_PASSWORD', 'M365_BROWSER_ACTION', 'M365_BROWSER_SCREENSHOTS') {
        $script:Saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }

    # A "browser" that only notes the URL it was given: the page is never answered.
    function New-UrlRecorder {
        $file = Join-Path ([IO.Path]::GetTempPath()) ('m365-browser-url-' + [guid]::NewGuid().ToString('N') + '.txt')
        [pscustomobject]@{ File = $file; Command = "sh -c 'printf %%s `"`$1`" > $file' sh" }
    }

    # True when nothing listens on the redirect URI's port of the authorize URL: MSAL's listener is gone.
    function Test-RedirectPortFree([string] $AuthorizeUrl) {
        $query = [System.Web.HttpUtility]::ParseQueryString(([uri]$AuthorizeUrl).Query)
        $port = ([uri]$query['redirect_uri']).Port
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://localhost:$port/")
        try { $listener.Start(); $listener.Stop(); $true } catch [System.Net.HttpListenerException] { $false } finally { $listener.Close() }
    }
}

AfterAll {
    Disconnect-M365 -All -ErrorAction SilentlyContinue
    foreach ($name in $script:Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $script:Saved[$name]) }
    Get-Module M365 | Remove-Module -Force
}

Describe 'Connect-M365 -Interactive in a non-interactive session' -Skip:(-not $script:NonInteractive) {
    It 'fails at once with BrowserSignInNonInteractive' {
        $started = [DateTime]::UtcNow
        { Connect-M365 -Interactive -ErrorAction Stop } |
            Should -Throw -ErrorId 'BrowserSignInNonInteractive,M365.PowerShell.Cmdlets.ConnectM365Command'
        ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 10
    }
}

Describe 'Connect-M365 -Interactive' -Skip:$script:NonInteractive {
    BeforeAll {
        $script:Sandbox = Start-TestSandbox
        $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
        $script:Seed = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/seed'
        $script:Kiosk = $script:Seed.apps | Where-Object { $_.displayName -eq 'Contoso Kiosk' }
        'BROWSER', 'M365_BROWSER_ACTION', 'M365_BROWSER_ACCOUNT', 'M365_BROWSER_PASSWORD', 'M365_BROWSER_SCREENSHOTS' |
            ForEach-Object { [Environment]::SetEnvironmentVariable($_, $null) }
    }

    AfterAll {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
        Stop-TestSandbox -Sandbox $script:Sandbox
    }

    AfterEach {
        $env:BROWSER = $null
        $env:DISPLAY = $script:Saved['DISPLAY']
        $env:WAYLAND_DISPLAY = $script:Saved['WAYLAND_DISPLAY']
        $env:M365_BROWSER_WAIT = $null
        $env:SSH_CONNECTION = $script:Saved['SSH_CONNECTION']
    }

    It 'falls back to a device code, with a warning that says why, when no browser can open' -Skip:$IsWindows {
        # No display, and an SSH session (so macOS too opens nothing): nothing here can show a browser.
        $env:DISPLAY = $null; $env:WAYLAND_DISPLAY = $null; $env:BROWSER = $null; $env:SSH_CONNECTION = '10.0.0.1 50000 10.0.0.2 22'
        $env:M365_BROWSER_WAIT = '2'
        $connection = Connect-M365 -Sandbox -Interactive -Name fallback -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $connection.Identity | Should -Be $script:Seed.users[0].userPrincipalName
        ($warnings -join ' ') | Should -Match 'No browser could be opened \(this is an SSH session.*device code'
        Disconnect-M365 -Name fallback
    }

    It 'reports an app without the http://localhost redirect URI (AADSTS50011) before any browser opens' {
        $recorder = New-UrlRecorder
        $env:BROWSER = $recorder.Command
        $started = [DateTime]::UtcNow
        $e = { Connect-M365 -Sandbox -Interactive -AppId $script:Kiosk.appId -ErrorAction Stop } |
            Should -Throw -ErrorId 'RedirectUriNotRegistered,M365.PowerShell.Cmdlets.ConnectM365Command' -PassThru
        $e.Exception.Message | Should -Match 'AADSTS50011'
        $e.ErrorDetails.RecommendedAction | Should -Match 'add http://localhost as a Mobile and desktop applications redirect URI'
        ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 15
        Test-Path $recorder.File | Should -BeFalse
    }

    It '-Timeout stops the listener and frees its port' {
        $recorder = New-UrlRecorder
        $env:BROWSER = $recorder.Command
        try {
            { Connect-M365 -Sandbox -Interactive -Timeout 3 -ErrorAction Stop } |
                Should -Throw -ErrorId 'SignInTimedOut,M365.PowerShell.Cmdlets.ConnectM365Command'
            $url = Get-Content -Raw $recorder.File
            $url | Should -Match '^https://127\.0\.0\.1:\d+/.+/oauth2/v2\.0/authorize\?'
            Test-RedirectPortFree $url | Should -BeTrue
        }
        finally {
            Remove-Item $recorder.File -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Connect-M365 -Interactive in headless Chromium' -Skip:$script:NonInteractive {
    BeforeAll {
        # The test setup: chromium from Debian and playwright-core from tests/node/package-lock.json.
        $setup = & bash (Join-Path $PSScriptRoot 'node' 'ensure-browser.sh') 2>&1
        $script:BrowserMissing = if ($LASTEXITCODE -ne 0) { "the browser setup failed ($LASTEXITCODE): $($setup -join ' ')" }
        $script:Sandbox = Start-TestSandbox -InteractiveApproval
        $env:M365_SANDBOX = $script:Sandbox.DescriptorPath
        $script:Seed = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/seed'
        $script:Admin = $script:Seed.users | Where-Object { $_.isAdmin } | Select-Object -First 1
        $env:BROWSER = "node $script:Driver"
        $env:M365_BROWSER_PASSWORD = $script:Admin.password
        Remove-Item -Recurse -Force $script:Artifacts -ErrorAction SilentlyContinue
    }

    AfterAll {
        Disconnect-M365 -All -ErrorAction SilentlyContinue
        'BROWSER', 'M365_BROWSER_ACTION', 'M365_BROWSER_PASSWORD', 'M365_BROWSER_SCREENSHOTS' | ForEach-Object { [Environment]::SetEnvironmentVariable($_, $null) }
        Stop-TestSandbox -Sandbox $script:Sandbox
    }

    BeforeEach {
        if ($script:BrowserMissing) { Set-ItResult -Skipped -Because $script:BrowserMissing }
    }

    It 'signs in on the sign-in and consent pages as a person would, and the connection works' {
        # Without a Graph grant for the app, the admin sees the consent page after the password.
        $pnp = $script:Seed.apps | Where-Object { $_.displayName -eq 'PnP Management Shell' }
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($pnp.appId)/withdraw-consent?resource=graph"
        $env:M365_BROWSER_ACTION = 'signin'
        $env:M365_BROWSER_SCREENSHOTS = Join-Path $script:Artifacts 'signin'
        Connect-M365 -Sandbox -Interactive -LoginHint $script:Admin.userPrincipalName -Name chromium -Timeout 120
        $connection = Get-M365Connection -Name chromium
        $connection.AuthType | Should -Be 'Interactive'
        $connection.Identity | Should -Be $script:Admin.userPrincipalName
        (Invoke-M365Request -Uri 'https://graph.microsoft.com/v1.0/me').userPrincipalName | Should -Be $script:Admin.userPrincipalName
        (Get-M365AccessToken -Resource SharePoint).Audience | Should -Be "https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com"
        $shots = Get-ChildItem (Join-Path $script:Artifacts 'signin') -Filter '*.png'
        $shots.Name | Should -Contain '01-signin.png'
        $shots.Name | Should -Contain '02-consent.png'
        (Get-Item (Join-Path $script:Artifacts 'signin' '01-signin.png')).Length | Should -BeGreaterThan 1000
        Disconnect-M365 -Name chromium
    }

    It 'Cancel on the consent page is BrowserSignInCancelled (AADSTS65004)' {
        $pnp = $script:Seed.apps | Where-Object { $_.displayName -eq 'PnP Management Shell' }
        $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($pnp.appId)/withdraw-consent?resource=graph"
        $env:M365_BROWSER_ACTION = 'decline'
        $env:M365_BROWSER_SCREENSHOTS = Join-Path $script:Artifacts 'decline'
        try {
            $e = { Connect-M365 -Sandbox -Interactive -LoginHint $script:Admin.userPrincipalName -Timeout 120 -ErrorAction Stop } |
                Should -Throw -ErrorId 'BrowserSignInCancelled,M365.PowerShell.Cmdlets.ConnectM365Command' -PassThru
            $e.Exception.Message | Should -Match 'AADSTS65004'
        }
        finally {
            $null = Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path "/apps/$($pnp.appId)/restore-consent"
        }
    }

    It 'Cancel on the sign-in page is BrowserSignInCancelled' {
        $env:M365_BROWSER_ACTION = 'cancel'
        $env:M365_BROWSER_SCREENSHOTS = Join-Path $script:Artifacts 'cancel'
        { Connect-M365 -Sandbox -Interactive -LoginHint $script:Admin.userPrincipalName -Timeout 120 -ErrorAction Stop } |
            Should -Throw -ErrorId 'BrowserSignInCancelled,M365.PowerShell.Cmdlets.ConnectM365Command'
    }
}
