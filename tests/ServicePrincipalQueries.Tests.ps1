#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Get-M365AadSp's Graph query options (-Top, -Search, -Sort, -CountVariable, -ExpandProperty) in real pwsh
# against a sandbox tenant started as a child process, checked against the sandbox's request log.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $script:Sandbox).Credential -WarningAction SilentlyContinue
    $null = Get-M365AccessToken -Resource Graph
    function Get-Listings { @(Get-SandboxRequests | Where-Object { $_.path -eq '/v1.0/servicePrincipals' }) }
}

AfterAll {
    Stop-TestSession
}

Describe 'Get-M365AadSp query options' {
    It 'stops after -Top with one request that asks for that many' {
        Clear-SandboxRequests
        @(Get-M365AadSp -Top 3).Count | Should -Be 3
        $calls = Get-Listings
        $calls.Count | Should -Be 1
        [uri]::UnescapeDataString($calls[0].query) | Should -Match '\$top=3(&|$)'
    }

    It 'searches with -Search and sets -CountVariable in the caller''s scope' {
        Clear-SandboxRequests
        $found = @(Get-M365AadSp -Search SharePoint -CountVariable total)
        $total | Should -Be $found.Count
        $found.DisplayName | Should -Contain 'Office 365 SharePoint Online'
        [uri]::UnescapeDataString((Get-Listings)[0].query) | Should -Match '\$search="displayName:SharePoint"'
    }

    It 'sorts with -Sort, also with a wildcard name (an advanced query)' {
        $names = @((Get-M365AadSp -Sort 'displayName desc' -Top 20).DisplayName)
        $names | Should -Be @($names | Sort-Object -Descending)
        $office = @((Get-M365AadSp -DisplayName 'Office*' -Sort displayName).DisplayName)
        $office.Count | Should -BeGreaterThan 0
        $office | Should -Be @($office | Sort-Object)
    }

    It 'expands appRoleAssignedTo into AdditionalProperties' {
        $graph = Get-M365AadSp -Filter "appId eq '00000003-0000-0000-c000-000000000000'" -ExpandProperty appRoleAssignedTo
        , $graph.AdditionalProperties['appRoleAssignedTo'] | Should -BeOfType ([object[]])
    }

    It 'refuses a sort term that is not a property before any request' {
        Clear-SandboxRequests
        Get-M365AadSp -Sort 'displayName; drop' -ErrorAction SilentlyContinue -ErrorVariable failure
        $failure[0].FullyQualifiedErrorId | Should -Be 'BadRequest,M365.PowerShell.Cmdlets.GetM365AadSpCommand'
        @(Get-Listings).Count | Should -Be 0
    }

    It 'completes -Sort and -ExpandProperty' {
        $expand = 'Get-M365AadSp -ExpandProperty appRoleAssignedT'
        (TabExpansion2 -inputScript $expand -cursorColumn $expand.Length).CompletionMatches.CompletionText | Should -Be 'appRoleAssignedTo'
        $sort = 'Get-M365AadSp -Sort displayName'
        (TabExpansion2 -inputScript $sort -cursorColumn $sort.Length).CompletionMatches.CompletionText | Should -Contain "'displayName desc'"
    }
}
