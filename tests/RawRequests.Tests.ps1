#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5: Invoke-M365Request's output types, status and header variables, -InFile and -OutFile and byte bodies, in
# real pwsh against a sandbox tenant started as a child process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxTenant.ps1')
    Start-TestSession
    Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $script:Sandbox).Credential -WarningAction SilentlyContinue
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('m365-raw-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:Folder
    function New-GroupJson([string] $Name) { '{"displayName":"' + $Name + '","mailNickname":"' + $Name + [guid]::NewGuid().ToString('N') + '","mailEnabled":false,"securityEnabled":true}' }
}

AfterAll {
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestSession
}

Describe 'Invoke-M365Request -OutputType' {
    It 'writes an ordered dictionary that ignores case for Hashtable' {
        $me = Invoke-M365Request -Service Graph v1.0/me -OutputType Hashtable
        $me | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        @($me.Keys)[0] | Should -Be '@odata.context'
        $me['USERPRINCIPALNAME'] | Should -Be $me.userPrincipalName
    }

    It 'writes the body string for Json, as -Raw' {
        $json = Invoke-M365Request -Service Graph v1.0/me -OutputType Json
        $json | Should -BeOfType ([string])
        ($json | ConvertFrom-Json).userPrincipalName | Should -Not -BeNullOrEmpty
    }

    It 'writes the answer message, readable, without the token in its request' {
        $answer = Invoke-M365Request -Service Graph v1.0/me -OutputType HttpResponseMessage
        $answer | Should -BeOfType ([System.Net.Http.HttpResponseMessage])
        [int]$answer.StatusCode | Should -Be 200
        $answer.RequestMessage.Headers.Contains('Authorization') | Should -BeFalse
        $answer.Content.ReadAsStringAsync().GetAwaiter().GetResult() | Should -Match 'userPrincipalName'
    }
}

Describe 'Invoke-M365Request -StatusCodeVariable and -ResponseHeadersVariable' {
    It 'sets them in the caller''s scope as Invoke-RestMethod does' {
        & {
            $null = Invoke-M365Request -Service Graph v1.0/organization -StatusCodeVariable code -ResponseHeadersVariable headers
            $code | Should -Be 200
            $code | Should -BeOfType ([int])
            $headers.GetType().Name | Should -Be 'Dictionary`2'
            $headers['content-type'][0] | Should -Match '^application/json'
            $headers.ContainsKey('Authorization') | Should -BeFalse
        }
        Get-Variable code -Scope 0 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'sets the status of a failed answer' {
        Invoke-M365Request -Service Graph "v1.0/servicePrincipals/$([guid]::NewGuid())" -StatusCodeVariable failedCode -ErrorAction SilentlyContinue -ErrorVariable failure
        $failedCode | Should -Be 404
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ResourceNotFound,*'
    }
}

Describe 'Invoke-M365Request -OutFile, -InFile and byte bodies' {
    It 'streams an answer over the memory limit to a file with no output' {
        Invoke-SandboxControl -Sandbox $script:Sandbox -Method POST -Path '/faults' -Body @{ host = 'graph.microsoft.com'; path = '/v1.0/organization'; kind = 'LargeBody'; bodyBytes = 100MB; declareLength = $true } | Out-Null
        try {
            $file = Join-Path $script:Folder 'big.json'
            $output = Invoke-M365Request -Service Graph v1.0/organization -OutFile $file -ProgressAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            (Get-Item $file).Length | Should -Be 100MB
            @(Get-ChildItem -Force $script:Folder -Filter '*.partial').Count | Should -Be 0
        }
        finally {
            Invoke-SandboxControl -Sandbox $script:Sandbox -Method DELETE -Path '/faults' | Out-Null
        }
    }

    It 'writes RequestOutFileFailed for a folder that does not exist' {
        $missing = Join-Path $script:Folder 'no-such-folder' 'org.json'
        Invoke-M365Request -Service Graph v1.0/organization -OutFile $missing -ErrorAction SilentlyContinue -ErrorVariable failure
        $failure[0].FullyQualifiedErrorId | Should -Be 'RequestOutFileFailed,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'WriteError'
        $failure[0].TargetObject | Should -Be $missing
    }

    It 'sends a file with -InFile and a byte array with -Body' {
        $file = Join-Path $script:Folder 'group.json'
        Set-Content -LiteralPath $file -Value (New-GroupJson 'FromFile') -NoNewline
        (Invoke-M365Request -Service Graph v1.0/groups -Method POST -InFile $file -ContentType application/json).displayName | Should -Be 'FromFile'
        $bytes = [Text.Encoding]::UTF8.GetBytes((New-GroupJson 'FromBytes'))
        (Invoke-M365Request -Service Graph v1.0/groups -Method POST -Body $bytes -ContentType application/json).displayName | Should -Be 'FromBytes'
    }

    It 'writes RequestFileNotFound for a missing -InFile and sends nothing' {
        Clear-SandboxRequests
        $missing = Join-Path $script:Folder 'none.json'
        Invoke-M365Request -Service Graph v1.0/groups -Method POST -InFile $missing -ErrorAction SilentlyContinue -ErrorVariable failure
        $failure[0].FullyQualifiedErrorId | Should -Be 'RequestFileNotFound,M365.PowerShell.Cmdlets.InvokeM365RequestCommand'
        $failure[0].TargetObject | Should -Be $missing
        @(Get-SandboxRequests | Where-Object { $_.path -eq '/v1.0/groups' }).Count | Should -Be 0
    }
}
