# The main job against the sandbox tenant: sign in once, then each resource's token when it is first needed.
# Runs in any PowerShell 7 session (Import-Module ./out/M365/M365.psd1 and a running sandbox) and in M365.Try.
function Show-Step([string] $Text) { $Host.UI.WriteLine([ConsoleColor]::Cyan, $Host.UI.RawUI.BackgroundColor, "> $Text") }

Show-Step 'Connect-M365 -Sandbox'
Connect-M365 -Sandbox

Show-Step 'Get-M365AccessToken -Resource Graph, SharePoint, SharePointAdmin, Management, AzureManagement'
Get-M365AccessToken -Resource Graph, SharePoint, SharePointAdmin, Management, AzureManagement | Format-Table -AutoSize | Out-Default

Show-Step 'Get-M365Connection'
Get-M365Connection | Out-Default

Show-Step 'Get-M365AccessToken -Resource Yammer -Decoded   (its claims; the token itself is shown only when you ask for it)'
Get-M365AccessToken -Resource Yammer -Decoded | Format-List | Out-Default

Show-Step 'Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000   (one request)'
Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000 | Out-Default

Show-Step "'00000003-0000-0ff1-ce00-000000000000', 'c5393580-f805-4401-95e8-94b7a6ef2fc2' | Get-M365AadSp   (one Graph batch)"
'00000003-0000-0ff1-ce00-000000000000', 'c5393580-f805-4401-95e8-94b7a6ef2fc2' | Get-M365AadSp | Out-Default

Show-Step 'Add-M365SpoSite -Type CommunicationSite -Title News -Url https://contoso.sharepoint.com/sites/news-<n> -Wait'
Add-M365SpoSite -Type CommunicationSite -Title News -Url "https://contoso.sharepoint.com/sites/news-$(Get-Random)" -SiteDesign Showcase -Wait | Out-Default

Show-Step 'Get-M365AadSp -Property id | Measure-Object   (every service principal, streamed page by page)'
"$((Get-M365AadSp -Property id | Measure-Object).Count) service principals" | Out-Default

Show-Step 'Invoke-M365Request -Service Management "api/v1.0/<tenant>/ServiceComms/CurrentStatus"'
Invoke-M365Request -Service Management "api/v1.0/$((Get-M365AccessToken).TenantId)/ServiceComms/CurrentStatus" |
    Select-Object -First 3 | Out-Default

Show-Step 'Invoke-M365Request -Service Yammer api/v1/users/current.json'
Invoke-M365Request -Service Yammer api/v1/users/current.json | Select-Object -Property id, network_id, email | Out-Default

Show-Step 'Disconnect-M365'
Disconnect-M365 -PassThru | ForEach-Object { "Disconnected $($_.Name)" } | Out-Default
