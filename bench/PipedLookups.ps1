#Requires -Version 7.0
<#
.SYNOPSIS
    Piped Get-M365AadSp lookups in real pwsh: many ids with latency on every Graph request, and a throttled tenant.
.DESCRIPTION
    Starts a sandbox tenant ('serve', a child process) with enough service principals, signs in, and measures:
      1. '$ids | Get-M365AadSp' for -Count distinct app ids, with -LatencyMs injected on each direct Graph request
         (fault Kind Latency, Scope Direct: every $batch POST waits that long). Target for 2,000 ids at 50 ms: <= 2.0 s.
      2. '$ids | Get-M365AadSp' for -ThrottledCount ids while 10% of the $batch requests and 10% of the batch items are
         answered 429 with Retry-After 0.2 s (deterministic: every 10th match). It reports the $batch requests the sandbox
         received and checks that every id was answered (an object, or its error) in input order. An id 429'd on each of its
         4 sends (the default 3 retries) is a RequestThrottled error: at 10% per send, about 1 in 10,000 ids.
         Target for 1,000 ids: <= 65 requests (50 is the minimum).
    Each figure is the median of -Runs runs after one warm-up run. Run it after 'dotnet build M365Module.sln':
        dotnet pwsh -NoProfile -File bench/PipedLookups.ps1 [-Count 2000] [-ThrottledCount 1000] [-Runs 5]
.NOTES
    A benchmark, not a test: it asserts nothing, and its times depend on the machine and its load.
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 100000)] [int] $Count = 2000,
    [ValidateRange(2, 100000)] [int] $ThrottledCount = 1000,
    [ValidateRange(0, 10000)] [int] $LatencyMs = 50,
    [ValidateRange(1, 50)] [int] $Runs = 5
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'tests' 'SandboxTenant.ps1')
Import-Module (Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1') -Force
$sandbox = Start-TestSandbox -ServicePrincipals ([math]::Max($Count, $ThrottledCount) + 10)
try {
    $env:M365_SANDBOX = $sandbox.DescriptorPath
    $null = Connect-M365 -Sandbox -Credential (Get-TestIdentity -Sandbox $sandbox).Credential -WarningAction SilentlyContinue
    $all = @((Get-M365AadSp -Property appId).AppId)
    $median = { param($values) $sorted = @($values | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }
    $control = { param($method, $path, $body) if ($PSBoundParameters.ContainsKey('body')) { Invoke-SandboxControl -Sandbox $sandbox -Method $method -Path $path -Body $body } else { Invoke-SandboxControl -Sandbox $sandbox -Method $method -Path $path } }
    $batchRequests = { @(& $control GET '/requests' | Where-Object { $_.path -eq '/v1.0/$batch' -and -not $_.batchId }).Count }

    # One scenario: fresh faults and request log per run, the lookups timed, the answers checked against the input.
    $measure = {
        param([string[]] $ids, [object[]] $faults)
        $times = [System.Collections.Generic.List[double]]::new()
        $requests = [System.Collections.Generic.List[int]]::new()
        $inOrder = $true
        $errors = 0
        for ($run = -1; $run -lt $Runs; $run++) {
            $null = & $control DELETE '/faults'
            foreach ($fault in $faults) { $null = & $control POST '/faults' $fault }
            $null = & $control DELETE '/requests'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $answers = @($ids | Get-M365AadSp -ErrorAction Continue 2>&1)   # errors in the output, at their place
            $watch.Stop()
            if ($run -lt 0) { continue }   # warm-up
            $times.Add($watch.Elapsed.TotalSeconds)
            $requests.Add((& $batchRequests))
            $answered = @($answers | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "$($_.TargetObject)" } else { "$($_.AppId)" } })
            $inOrder = $inOrder -and $answered.Count -eq $ids.Count -and -not (Compare-Object $ids $answered -SyncWindow 0)
            $errors += @($answers | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count
        }
        $null = & $control DELETE '/faults'
        [pscustomobject]@{
            Seconds = (& $median $times); Requests = (& $median $requests); InOrder = $inOrder; Errors = $errors
            Min = ($requests | Measure-Object -Minimum).Minimum; Max = ($requests | Measure-Object -Maximum).Maximum
        }
    }

    $latency = @{ host = 'graph.microsoft.com'; kind = 'Latency'; latencyMilliseconds = $LatencyMs; scope = 'Direct' }
    $throttle = @(
        @{ host = 'graph.microsoft.com'; path = '/v1.0/$batch'; scope = 'Direct'; status = 429; ratio = 0.1; retryAfterSeconds = 0.2; retryAfterForm = 'DecimalSeconds' },
        @{ host = 'graph.microsoft.com'; path = '/v1.0/servicePrincipals*'; scope = 'BatchItems'; status = 429; ratio = 0.1; retryAfterSeconds = 0.2; retryAfterForm = 'DecimalSeconds' })
    $slow = & $measure ([string[]] $all[0..($Count - 1)]) @($latency)
    $throttled = & $measure ([string[]] $all[0..($ThrottledCount - 1)]) $throttle

    @([pscustomobject]@{
        Scenario           = "$Count piped ids, $LatencyMs ms on each Graph request"
        'Median s'         = [math]::Round($slow.Seconds, 2)
        '$batch requests'  = $slow.Requests
        'Answers in input order' = $slow.InOrder
        'Failed ids (all runs)'  = $slow.Errors
    },
    [pscustomobject]@{
        Scenario           = "$ThrottledCount piped ids, 10% of requests and items 429 (Retry-After 0.2 s)"
        'Median s'         = [math]::Round($throttled.Seconds, 2)
        '$batch requests'  = "$($throttled.Requests) (min $($throttled.Min), max $($throttled.Max); minimum possible $([math]::Ceiling($ThrottledCount / 20)))"
        'Answers in input order' = $throttled.InOrder
        'Failed ids (all runs)'  = $throttled.Errors
    }) | Format-Table -AutoSize | Out-String -Width 250 | Write-Host
    Write-Host "pwsh $($PSVersionTable.PSVersion), $([Environment]::ProcessorCount) cores, median of $Runs runs after a warm-up."
}
finally {
    Disconnect-M365 -All -ErrorAction SilentlyContinue
    Stop-TestSandbox -Sandbox $sandbox
}
