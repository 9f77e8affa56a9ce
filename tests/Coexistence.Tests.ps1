#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: M365 next to modules that bring other versions of MSAL and Polly (Az.Accounts, Microsoft.Graph, PnP, ...).
# On PowerShell 7, M365.Core and its libraries load in a private AssemblyLoadContext. Each case runs in a new pwsh
# process, because what loads first is the point. The older packages come from NuGet (tests/M365.Pester.Tests).

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    $script:Sandbox = Start-TestSandbox
    $script:Manifest = (Resolve-Path (Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1')).Path
    $packages = $env:M365_TEST_NUGET_PACKAGES
    if (-not $packages) { $packages = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget' 'packages' }
    $script:OldMsal = Join-Path $packages 'microsoft.identity.client' '4.61.3' 'lib' 'net6.0' 'Microsoft.Identity.Client.dll'
    $script:OldAbstractions = Join-Path $packages 'microsoft.identitymodel.abstractions' '6.35.0' 'lib' 'net6.0' 'Microsoft.IdentityModel.Abstractions.dll'
    $script:OldPolly = Join-Path $packages 'polly.core' '8.1.0' 'lib' 'net6.0' 'Polly.Core.dll'
    # What an older module brings into the session: MSAL 4.61.3 and the IdentityModel.Abstractions it needs.
    $script:LoadOldMsal = "Add-Type -Path '$script:OldAbstractions'; Add-Type -Path '$script:OldMsal'"
    $seed = Invoke-SandboxControl -Sandbox $script:Sandbox -Method GET -Path '/seed'
    $admin = $seed.users | Where-Object { -not $_.mfaRequired } | Select-Object -First 1
    $script:SignIn = "Connect-M365 -Sandbox -Credential ([pscredential]::new('$($admin.userPrincipalName)', (ConvertTo-SecureString '$($admin.password)' -AsPlainText -Force))) -WarningAction SilentlyContinue"

    function Invoke-FreshPwsh([string] $Script) {
        $pwsh = Get-TestPwsh
        $file = Join-Path $script:Sandbox.State ('coexist-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value @"
`$ErrorActionPreference = 'Stop'
`$env:M365_SANDBOX = '$($script:Sandbox.DescriptorPath)'
`$env:M365_TOKEN_CACHE_DIRECTORY = '$(Join-Path $script:Sandbox.State 'caches')'
try {
$Script
} catch { 'ERROR ' + `$_.FullyQualifiedErrorId + ' | ' + `$_ }
"@
        @(& $pwsh.FilePath @($pwsh.Prefix) -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" } | Where-Object { $_.Trim() })
    }
}

AfterAll {
    if ($script:Sandbox) { Stop-TestSandbox -Sandbox $script:Sandbox }
}

Describe 'Another MSAL loaded first (what an older module brings)' {
    It 'imports, signs in, gets Graph, SharePoint and Yammer tokens, and persists a sign-in' {
        $output = Invoke-FreshPwsh @"
$script:LoadOldMsal
Import-Module '$script:Manifest'
$script:SignIn -PersistLogin -AllowUnencryptedTokenCache -Name coexist
(Get-M365AccessToken -Resource Graph, SharePoint, Yammer).Audience -join ','
'old MSAL still in the session: ' + [Microsoft.Identity.Client.PublicClientApplication].Assembly.GetName().Version
Disconnect-M365 -Name coexist
'done'
"@
        $output | Should -Contain "https://graph.microsoft.com,https://$($script:Sandbox.Descriptor.tenantName).sharepoint.com,https://www.yammer.com"
        $output | Should -Contain 'old MSAL still in the session: 4.61.3.0'
        $output[-1] | Should -Be 'done' -Because ($output -join "`n")
    }
}

Describe 'M365 loaded first' {
    It 'leaves the session free to load and use an older MSAL' {
        $output = Invoke-FreshPwsh @"
Import-Module '$script:Manifest'
$script:SignIn
`$null = Get-M365AccessToken -Resource SharePoint
$script:LoadOldMsal
`$app = [Microsoft.Identity.Client.PublicClientApplicationBuilder]::Create('31359c7f-bd7e-475c-86db-fdb8c937548e').WithAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com').Build()
'authority: ' + `$app.Authority
'version: ' + `$app.GetType().Assembly.GetName().Version
(Get-M365AccessToken -Resource Graph -Force).Audience
"@
        $output | Should -Contain 'authority: https://login.microsoftonline.com/contoso.onmicrosoft.com/'
        $output | Should -Contain 'version: 4.61.3.0'
        $output[-1] | Should -Be 'https://graph.microsoft.com' -Because ($output -join "`n")
    }
}

Describe 'An older Polly.Core loaded first' {
    It 'imports and signs in; the older Polly keeps working' {
        $output = Invoke-FreshPwsh @"
Add-Type -Path '$script:OldPolly'
Import-Module '$script:Manifest'
$script:SignIn
(Get-M365AccessToken -Resource SharePoint).IdentityType
(Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000).DisplayName
'old Polly: ' + [Polly.ResiliencePipeline].Assembly.Location.Contains('8.1.0') + ' ' + ([Polly.ResiliencePipeline]::Empty -ne `$null)
"@
        $output | Should -Contain 'user'
        $output | Should -Contain 'Microsoft Graph'
        $output[-1] | Should -Be 'old Polly: True True' -Because ($output -join "`n")
    }
}

Describe 'The default load context stays clean, and every runspace works' {
    It 'holds only M365.dll and M365.Loader.dll from the module folder after a full session' {
        $output = Invoke-FreshPwsh @"
Import-Module '$script:Manifest'
$script:SignIn
`$null = Get-M365AccessToken -Resource Graph, SharePoint, Management
`$null = Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000
`$null = Invoke-M365Request -Service Graph -Uri 'v1.0/organization'
`$folder = Split-Path '$script:Manifest'
'default: ' + ((@([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { -not `$_.IsDynamic -and `$_.Location.StartsWith(`$folder) } | ForEach-Object { [IO.Path]::GetFileName(`$_.Location) }) | Sort-Object) -join ',')
'default MSAL, Polly or M365.Core: ' + @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { `$_.GetName().Name -in 'Microsoft.Identity.Client', 'Polly.Core', 'M365.Core' }).Count
'private: ' + ((@([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'M365' | ForEach-Object { `$_.Assemblies.GetName().Name }) | Sort-Object) -join ',')
"@
        $output | Should -Contain 'default: M365.dll,M365.Loader.dll' -Because ($output -join "`n")
        $output | Should -Contain 'default MSAL, Polly or M365.Core: 0'
        ($output | Where-Object { $_ -like 'private: *' }) | Should -Match 'M365\.Core.*Microsoft\.Identity\.Client.*Polly\.Core'
    }

    It 'works in a second runspace, in ForEach-Object -Parallel and after Remove-Module and Import-Module, with one private context' {
        $output = Invoke-FreshPwsh @"
Import-Module '$script:Manifest'
`$c = $script:SignIn -PassThru
`$ps = [powershell]::Create()
`$null = `$ps.AddScript('param(`$connection) Import-Module ''$script:Manifest''; (Get-M365AccessToken -Connection `$connection -Resource SharePoint).IdentityType').AddArgument(`$c)
'runspace: ' + (`$ps.Invoke() -join ',')
`$ps.Dispose()
'parallel: ' + ((1..3 | ForEach-Object -Parallel { Import-Module '$script:Manifest'; (Get-M365AccessToken -Connection `$using:c).IdentityType }) -join ',')
Remove-Module M365
Import-Module '$script:Manifest'
`$null = $script:SignIn
'again: ' + (Get-M365AccessToken).IdentityType
'contexts: ' + @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'M365').Count
"@
        $output | Should -Contain 'runspace: user' -Because ($output -join "`n")
        $output | Should -Contain 'parallel: user,user,user'
        $output | Should -Contain 'again: user'
        $output | Should -Contain 'contexts: 1'
    }

    It 'keeps error ids and categories, with no type-identity errors' {
        $output = @(Invoke-FreshPwsh @"
$script:LoadOldMsal
Import-Module '$script:Manifest'
try { Connect-M365 -Sandbox -Credential ([pscredential]::new('nobody@contoso.onmicrosoft.com', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))) -WarningAction SilentlyContinue -ErrorAction Stop }
catch { `$_.FullyQualifiedErrorId + ' ' + `$_.CategoryInfo.Category + ' ' + `$_.Exception.GetType().FullName }
"@)
        ($output -join "`n") | Should -Not -Match 'cannot convert|Cannot convert'
        $output[-1] | Should -Match '^(InvalidCredentials|TokenRequestFailed),M365\.PowerShell\.Cmdlets\.ConnectM365Command (AuthenticationError|ConnectionError) M365\.Core\.Authentication\.M365AuthenticationException$'
    }
}
