@{
    RootModule        = 'M365.EmptyModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0b8f9c53-6a1e-4c7a-9f3e-2d4b5a6c7e81'
    Author            = 'M365 contributors'
    Description       = 'An empty binary module: the import benchmark compares M365 with it.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Get-M365Empty')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
