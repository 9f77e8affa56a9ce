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

Show-Step 'Disconnect-M365'
Disconnect-M365 -PassThru | ForEach-Object { "Disconnected $($_.Name)" } | Out-Default
