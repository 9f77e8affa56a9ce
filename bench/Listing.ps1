#Requires -Version 7.0
<#
.SYNOPSIS
    Listing throughput as users see it: Get-M365AadSp and Invoke-M365Request -All in real pwsh, a child process per run.
.DESCRIPTION
    For each size N, starts a sandbox tenant with N service principals as its own process ('serve --service-principals N'),
    signs in once with -PersistLogin (a sign-in kept across sessions), then, for each run, starts a new pwsh (the pwsh of
    the pinned tool, or of the pwsh running this script) that imports out/M365, resumes that sign-in and lists:
    - throughput: for each command (Get-M365AadSp, Invoke-M365Request -All), with and without -Property id,appId,displayName
      ($select for Invoke-M365Request), and each consumer (Measure-Object, ForEach-Object, foreach), the objects per second of
      the first listing in the process (cold) and of the second (warm: the same listing again in the same process), and
      with -Listings n of the n-th (once the runtime has recompiled the hot code of PowerShell and the module at full speed);
    - the whole process: start pwsh, Import-Module, Connect-M365 -Sandbox -Name (resumed), Get-M365AadSp | Measure-Object,
      exit, timed from outside; its ratio to a bare 'pwsh -NoProfile -c exit'; and its peak RSS (VmHWM of /proc/self/status,
      read by the process itself just before it exits: the high-water mark of the whole process).
    Every figure is the median of -Runs runs (each run a new process). Run it after 'dotnet build M365Module.sln':
        dotnet pwsh -NoProfile -File bench/Listing.ps1 [-Sizes 5000,50000,500000] [-Runs 5] [-Listings 8] [-Commands Get-M365AadSp] [-Consumers Measure-Object] [-NoThroughput] [-NoWholeProcess]
.NOTES
    A benchmark, not a test: it asserts only that every listing returned N objects. Linux only for the RSS column.
#>
[CmdletBinding()]
param(
    # Strings, so that '-File bench/Listing.ps1 -Sizes 5000,50000' works too (-File passes one string).
    [string[]] $Sizes = @('5000', '50000', '500000'),
    [ValidateRange(1, 50)] [int] $Runs = 5,
    [string[]] $Commands = @('Get-M365AadSp', 'Invoke-M365Request'),
    [string[]] $Consumers = @('Measure-Object', 'ForEach-Object', 'foreach'),
    [string[]] $Shapes = @('full', 'selected'),
    # Listings per process: the first is cold, the second warm; with more, the last one's figure is reported too
    # ('last objects/s'), after the runtime has finished compiling PowerShell's and the module's hot code at full speed.
    [ValidateRange(2, 50)] [int] $Listings = 2,
    [switch] $NoThroughput,
    [switch] $NoWholeProcess,
    # One or more builds of the module (e.g. a copy of out/M365 made before a change, then out/M365): their runs are
    # interleaved, so a loaded machine slows each alike, and the table adds each figure's ratio to the first build's.
    [string[]] $ModulePath = @(Join-Path $PSScriptRoot '..' 'out' 'M365' 'M365.psd1')
)

$ErrorActionPreference = 'Stop'
$Sizes = @($Sizes -split ',' | ForEach-Object { [int]$_ })
$Commands = @($Commands -split ','); $Consumers = @($Consumers -split ','); $Shapes = @($Shapes -split ',')
foreach ($c in $Commands) { if ($c -notin 'Get-M365AadSp', 'Invoke-M365Request') { throw "Unknown command '$c'." } }
foreach ($c in $Consumers) { if ($c -notin 'Measure-Object', 'ForEach-Object', 'foreach') { throw "Unknown consumer '$c'." } }
foreach ($c in $Shapes) { if ($c -notin 'full', 'selected') { throw "Unknown shape '$c'." } }
. (Join-Path $PSScriptRoot '..' 'tests' 'SandboxTenant.ps1')
$manifests = @($ModulePath -split ',' | ForEach-Object { (Resolve-Path $_).Path })
# A build's label: the folder above its M365 folder when the folder is named M365 (…/out/M365 -> out), else its own.
$labels = @($manifests | ForEach-Object { $folder = Split-Path $_ -Parent; (Split-Path $folder -Leaf) -eq 'M365' ? (Split-Path (Split-Path $folder -Parent) -Leaf) : (Split-Path $folder -Leaf) })
$pwsh = Get-TestPwsh

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { return $sorted[[int][math]::Floor($sorted.Count / 2)] }
    ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2
}

# Runs a pwsh child with the script; returns its stdout lines and the wall time from start to exit.
function Invoke-Child([string] $Script) {
    $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
    foreach ($argument in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', $Script)) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($info)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    $watch.Stop()
    if ($process.ExitCode -ne 0 -or $stderr.Result) {
        throw "The child pwsh failed ($($process.ExitCode)): $($stderr.Result)`n$stdout"
    }
    [pscustomobject]@{ Lines = @($stdout -split "`r?`n" | Where-Object { $_ }); Milliseconds = $watch.Elapsed.TotalMilliseconds }
}

function Get-Listing([string] $Command, [string] $Shape) {
    $select = $Shape -eq 'selected'
    if ($Command -eq 'Get-M365AadSp') {
        return $select ? 'Get-M365AadSp -Property id,appId,displayName' : 'Get-M365AadSp'
    }
    $select ? "Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?`$top=999&`$select=id,appId,displayName' -All" : "Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?`$top=999' -All"
}

function Get-Consumed([string] $Listing, [string] $Consumer) {
    switch ($Consumer) {
        'Measure-Object' { "`$n = ($Listing | Measure-Object).Count" }
        'ForEach-Object' { "`$n = 0; $Listing | ForEach-Object { `$n++ }" }
        'foreach' { "`$n = 0; foreach (`$o in $Listing) { `$n++ }" }
    }
}

function Get-Prelude([string] $Manifest) { "`$ErrorActionPreference = 'Stop'; Import-Module '$Manifest'; `$null = Connect-M365 -Sandbox -Name bench -WarningAction SilentlyContinue" }
$hwm = "((Get-Content /proc/self/status) -match '^VmHWM' -replace '\D', '')"
$rows = [System.Collections.Generic.List[object]]::new()
$savedEnvironment = @{}
foreach ($name in 'M365_SANDBOX', 'M365_TOKEN_CACHE_DIRECTORY', 'M365_SETTINGS_DIRECTORY') { $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name) }

# The bare pwsh every whole-process figure is compared with.
$bare = if (-not $NoWholeProcess) { Get-Median @(1..$Runs | ForEach-Object { (Invoke-Child 'exit').Milliseconds }) }

foreach ($size in $Sizes) {
    $dll = Get-ChildItem -Path (Join-Path $PSScriptRoot '..' 'src' 'M365.Sandbox' 'bin') -Recurse -Filter 'M365.Sandbox.dll' |
        Where-Object { $_.Directory.Name -eq 'net10.0' } | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    $state = Join-Path ([IO.Path]::GetTempPath()) ('m365-listing-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $state
    Write-Host "Sandbox: $($dll.FullName), $size service principals"
    $process = Start-Process -FilePath 'dotnet' -PassThru -NoNewWindow -ArgumentList @($dll.FullName, 'serve', '--port', '0', '--state', $state, '--service-principals', $size) `
        -RedirectStandardOutput (Join-Path $state 'stdout.txt') -RedirectStandardError (Join-Path $state 'stderr.txt')
    try {
        $descriptor = Join-Path $state 'sandbox.json'
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        while (-not (Test-Path $descriptor)) {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "The sandbox did not start: $(Get-Content -Raw (Join-Path $state 'stderr.txt'))" }
            Start-Sleep -Milliseconds 200
        }
        Start-Sleep -Milliseconds 300
        $sandbox = [pscustomobject]@{ Process = $process; State = $state; DescriptorPath = $descriptor; Descriptor = (Get-Content -Raw $descriptor | ConvertFrom-Json) }
        $env:M365_SANDBOX = $descriptor
        $env:M365_TOKEN_CACHE_DIRECTORY = Join-Path $state 'token-caches'
        $env:M365_SETTINGS_DIRECTORY = Join-Path $state 'settings'
        $identity = Get-TestIdentity -Sandbox $sandbox
        $user = $identity.Credential.UserName
        $password = $identity.Credential.GetNetworkCredential().Password
        $null = Invoke-Child ("`$ErrorActionPreference = 'Stop'; Import-Module '$($manifests[0])'; `$c = [pscredential]::new('$user', (ConvertTo-SecureString '$password' -AsPlainText -Force)); " +
            "`$null = Connect-M365 -Sandbox -Credential `$c -PersistLogin -AllowUnencryptedTokenCache -Name bench -WarningAction SilentlyContinue")
        # The sandbox's first listing warms its own JIT and caches; not measured.
        $null = Invoke-Child "$(Get-Prelude $manifests[0]); (Get-M365AadSp -Property id | Measure-Object).Count"

        if (-not $NoThroughput) {
            foreach ($command in $Commands) {
                foreach ($shape in $Shapes) {
                    foreach ($consumer in $Consumers) {
                        $measured = Get-Consumed (Get-Listing $command $shape) $consumer
                        $cold = @{}; $warm = @{}; $cpu = @{}; $last = @{}; $listed = 0
                        foreach ($m in 0..($manifests.Count - 1)) { $cold[$m] = [System.Collections.Generic.List[double]]::new(); $warm[$m] = [System.Collections.Generic.List[double]]::new(); $cpu[$m] = [System.Collections.Generic.List[double]]::new(); $last[$m] = [System.Collections.Generic.List[double]]::new() }
                        for ($run = 0; $run -lt $Runs; $run++) {
                            foreach ($m in 0..($manifests.Count - 1)) {
                                # The warm listing's CPU time too (every thread of the process; the sandbox is another process): what
                                # the listing costs the machine, which a machine loaded by other work changes far less than the wall time.
                                $script = "$(Get-Prelude $manifests[$m]); `$p = [Diagnostics.Process]::GetCurrentProcess(); `$w = [Diagnostics.Stopwatch]::StartNew(); $measured; `$cold = `$w.Elapsed.TotalMilliseconds; `$c1 = `$n; " +
                                    "`$p.Refresh(); `$cpu = `$p.TotalProcessorTime; `$w.Restart(); $measured; `$warm = `$w.Elapsed.TotalMilliseconds; `$p.Refresh(); `$cpu = (`$p.TotalProcessorTime - `$cpu).TotalMilliseconds; " +
                                    "`$last = `$warm; for (`$i = 3; `$i -le $Listings; `$i++) { `$w.Restart(); $measured; `$last = `$w.Elapsed.TotalMilliseconds }; " +
                                    "`"`$c1 `$n `$cold `$warm `$cpu `$last`""
                                $fields = (Invoke-Child $script).Lines[-1] -split ' '
                                # The tenant has its own built-in service principals besides the N generated ones.
                                if ([int]$fields[0] -lt $size -or [int]$fields[1] -ne [int]$fields[0]) { throw "$command ($shape) | $consumer listed $($fields[0]) and $($fields[1]), not $size or more." }
                                $listed = [int]$fields[0]
                                $cold[$m].Add([double]$fields[2]); $warm[$m].Add([double]$fields[3]); $cpu[$m].Add([double]$fields[4]); $last[$m].Add([double]$fields[5])
                            }
                        }

                        foreach ($m in 0..($manifests.Count - 1)) {
                            $coldMs = Get-Median $cold[$m]; $warmMs = Get-Median $warm[$m]; $cpuMs = Get-Median $cpu[$m]; $lastMs = Get-Median $last[$m]
                            $row = [pscustomobject]@{
                                N = $size; Build = $labels[$m]; Figure = "$command$($shape -eq 'selected' ? ' (id,appId,displayName)' : '') | $consumer"
                                'cold objects/s' = [long]($listed * 1000 / $coldMs); 'warm objects/s' = [long]($listed * 1000 / $warmMs)
                                'warm ms' = [long]$warmMs; 'warm objects/CPU-s' = [long]($listed * 1000 / $cpuMs); 'last objects/s' = $Listings -gt 2 ? [long]($listed * 1000 / $lastMs) : ''; 'whole process ms' = ''; 'x bare pwsh' = ''; 'peak RSS MB' = ''; 'warm x first build' = ''; 'CPU x first build' = ''
                            }
                            if ($m -gt 0) {
                                $row.'warm x first build' = [math]::Round($row.'warm objects/s' / $rows[$rows.Count - $m].'warm objects/s', 2)
                                $row.'CPU x first build' = [math]::Round($row.'warm objects/CPU-s' / $rows[$rows.Count - $m].'warm objects/CPU-s', 2)
                            }
                            $rows.Add($row)
                            Write-Host ("{0,8:N0}  {1,-10} {2,-66} cold {3,9:N0}/s  warm {4,9:N0}/s  warm {5,9:N0}/CPU-s{6}" -f $size, $row.Build, $row.Figure, $row.'cold objects/s', $row.'warm objects/s', $row.'warm objects/CPU-s', ($Listings -gt 2 ? ("  listing {0}: {1:N0}/s" -f $Listings, $row.'last objects/s') : ''))
                        }
                    }
                }
            }
        }

        if (-not $NoThroughput) {
            # What PowerShell alone costs: the same objects from an array already in memory (listed once by the last build)
            # into each consumer, timed twice in the process, the second counted. No listing can be faster than this.
            $alone = @{}
            foreach ($consumer in $Consumers) { $alone[$consumer] = [System.Collections.Generic.List[double]]::new() }
            $script = "$(Get-Prelude $manifests[-1]); `$a = @(Get-M365AadSp); `$out = foreach (`$c in '$($Consumers -join "','")') { " +
                "`$s = [scriptblock]::Create((@{ 'Measure-Object' = '`$n = (`$a | Measure-Object).Count'; 'ForEach-Object' = '`$n = 0; `$a | ForEach-Object { `$n++ }'; 'foreach' = '`$n = 0; foreach (`$o in `$a) { `$n++ }' })[`$c]); " +
                "`$null = . `$s; `$w = [Diagnostics.Stopwatch]::StartNew(); . `$s; `$w.Elapsed.TotalMilliseconds }; `"`$(`$a.Count) `$out`""
            for ($run = 0; $run -lt $Runs; $run++) {
                $fields = (Invoke-Child $script).Lines[-1] -split ' '
                $listed = [int]$fields[0]
                for ($i = 0; $i -lt $Consumers.Count; $i++) { $alone[$Consumers[$i]].Add([double]$fields[$i + 1]) }
            }
            foreach ($consumer in $Consumers) {
                $ms = Get-Median $alone[$consumer]
                $rows.Add([pscustomobject]@{
                    N = $size; Build = $labels[-1]; Figure = "PowerShell alone: an array of the listed objects | $consumer"
                    'cold objects/s' = ''; 'warm objects/s' = [long]($listed * 1000 / [math]::Max($ms, 0.001)); 'warm ms' = [long]$ms
                    'warm objects/CPU-s' = ''; 'whole process ms' = ''; 'x bare pwsh' = ''; 'peak RSS MB' = ''; 'warm x first build' = ''; 'CPU x first build' = ''
                })
                Write-Host ("{0,8:N0}  PowerShell alone, array | {1}: {2:N0} objects/s" -f $size, $consumer, $rows[-1].'warm objects/s')
            }
        }

        if (-not $NoWholeProcess) {
            $times = @{}; $peaks = @{}
            foreach ($m in 0..($manifests.Count - 1)) { $times[$m] = [System.Collections.Generic.List[double]]::new(); $peaks[$m] = [System.Collections.Generic.List[double]]::new() }
            for ($run = 0; $run -lt $Runs; $run++) {
                foreach ($m in 0..($manifests.Count - 1)) {
                    $child = Invoke-Child "$(Get-Prelude $manifests[$m]); `$n = (Get-M365AadSp | Measure-Object).Count; `"`$n `$$hwm`""
                    $fields = $child.Lines[-1] -split ' '
                    if ([int]$fields[0] -lt $size) { throw "The whole-process listing returned $($fields[0]), not $size." }
                    $times[$m].Add($child.Milliseconds); $peaks[$m].Add([double]$fields[1] / 1024)
                }
            }

            foreach ($m in 0..($manifests.Count - 1)) {
                $ms = Get-Median $times[$m]
                $row = [pscustomobject]@{
                    N = $size; Build = $labels[$m]; Figure = 'whole process: start pwsh, import, resume sign-in, Get-M365AadSp | Measure-Object'
                    'cold objects/s' = ''; 'warm objects/s' = ''; 'warm ms' = ''; 'warm objects/CPU-s' = ''; 'whole process ms' = [long]$ms; 'x bare pwsh' = [math]::Round($ms / $bare, 2)
                    'peak RSS MB' = [math]::Round((Get-Median $peaks[$m]), 1); 'warm x first build' = ''; 'CPU x first build' = ''
                }
                if ($m -gt 0) { $row.'warm x first build' = [math]::Round($ms / $rows[$rows.Count - $m].'whole process ms', 2) }
                $rows.Add($row)
                Write-Host ("{0,8:N0}  {1,-10} whole process {2:N0} ms ({3}x bare pwsh {4:N0} ms), peak RSS {5} MB" -f $size, $row.Build, $ms, $row.'x bare pwsh', $bare, $row.'peak RSS MB')
            }
        }
    }
    finally {
        if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force; $process.WaitForExit(10000) | Out-Null }
        Remove-Item -Path $state -Recurse -Force -ErrorAction SilentlyContinue
        foreach ($name in $savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
    }
}

$rows | Format-Table -Property * -AutoSize | Out-String -Width 500 | Write-Host
Write-Host (("pwsh {0} ({1}), {2} cores, median of {3} runs, each a new process. cold = first listing in the process, warm = the same listing again in it; " +
    "whole process = wall time of a new pwsh that imports, resumes a persisted sign-in, lists all N and exits, timed from outside (bare 'pwsh -NoProfile -c exit': {4:N0} ms); " +
    "peak RSS = its VmHWM; objects/CPU-s = objects per second of the process's CPU time (all its threads) in the warm listing; " +
    ($Listings -gt 2 ? "last objects/s = the same listing's {5}th run in the process; " : '') +
    "'x first build' = this build's figure over the first build's (whole process: its time), runs interleaved.") -f $PSVersionTable.PSVersion, $pwsh.FilePath, [Environment]::ProcessorCount, $Runs, $bare, $Listings)
