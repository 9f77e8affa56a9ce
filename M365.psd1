@{
    # ModuleVersion is stamped by the build from Directory.Build.props (<Version>), the one place it is kept.
    RootModule           = 'M365.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '6f1c2f7e-5d3a-4b8e-9a41-3e0d6c8b2a17'
    Author               = 'M365 contributors'
    CompanyName          = 'M365 contributors'
    Copyright            = '(c) M365 contributors. MIT License.'
    Description          = 'Sign in to Microsoft 365 once and automate SharePoint Online, Microsoft Graph, Entra ID, the Office 365 Management APIs, Azure Service Management and Yammer from PowerShell, interactively and in Azure Automation runbooks.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('M365.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-M365',
        'Disconnect-M365',
        'Get-M365AccessToken',
        'Get-M365Connection',
        'Get-M365AadSp',
        'Add-M365SpoSite',
        'Get-M365SpoSite',
        'Remove-M365SpoSite',
        'Restore-M365SpoSite',
        'Invoke-M365Request',
        'Get-M365Setting',
        'Set-M365Setting',
        'Clear-M365Setting',
        'Get-M365RequestSetting',
        'Set-M365RequestSetting',
        'Test-M365Connection',
        'Register-M365App',
        'Unregister-M365App'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Microsoft365', 'M365', 'SharePoint', 'SharePointOnline', 'MicrosoftGraph', 'EntraID', 'AzureAD', 'MSAL', 'Authentication', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            # ReleaseNotes: the build copies this version's section of CHANGELOG.md here.
            ReleaseNotes = ''
            # Stamped by the build from Directory.Build.props (<RepositoryUrl>); left out while it is empty.
            # ProjectUri   = ''
            # LicenseUri   = ''
            # A 0.x version is a preview (Install-Module -AllowPrerelease).
            Prerelease   = 'preview'
        }
    }
}
