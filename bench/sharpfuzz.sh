#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers with SharpFuzz and afl-fuzz (AFL++), one target after another, each for a bounded
# time (afl-fuzz -V), then a summary per target. Not part of the test command.
#   bench/sharpfuzz.sh [--seconds N] [--target NAME|all] [--out DIR]
# Needs afl-fuzz (Debian: apt-get install afl++) and the packages the build restores; the SharpFuzz instrumenter comes
# from the repo's tool manifest (.config/dotnet-tools.json). Exits 0 when no target crashed, 1 when one did, 2 on a usage
# or setup error.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/bench/M365.SharpFuzz"
seconds=120
target=all
out="$root/artifacts/sharpfuzz"

usage() {
    echo "Usage: bench/sharpfuzz.sh [--seconds N] [--target NAME|all] [--out DIR]" >&2
    echo "Targets: $(ls "$project/corpus" | tr '\n' ' ')" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) [ $# -ge 2 ] || usage; seconds="$2"; shift 2 ;;
        --target) [ $# -ge 2 ] || usage; target="$2"; shift 2 ;;
        --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "Unknown option $1" >&2; usage ;;
    esac
done

[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "--seconds needs a positive number" >&2; exit 2; }
if [ "$target" = all ]; then
    targets=$(ls "$project/corpus")
elif [ -d "$project/corpus/$target" ]; then
    targets="$target"
else
    echo "No target '$target'." >&2
    usage
fi

if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "afl-fuzz is not installed. On Debian or Ubuntu: apt-get install afl++" >&2
    exit 2
fi

cd "$root"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
publish="$out/bin"

echo "== Restoring the SharpFuzz instrumenter (tool manifest)"
dotnet tool restore >/dev/null

echo "== Publishing bench/M365.SharpFuzz (Release) to $publish"
rm -rf "$publish"
dotnet publish "$project/M365.SharpFuzz.csproj" -c Release -o "$publish" --nologo -v quiet

echo "== Instrumenting M365.Core.dll"
dotnet tool run sharpfuzz "$publish/M365.Core.dll" | tail -n 1

# dotnet is not built with afl instrumentation (the coverage comes from the instrumented M365.Core.dll): skip the binary
# check. No status screen, no CPU binding (the machine is shared), and core dumps are not needed to see crashes.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_AUTORESUME=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_TieredPGO=0

dict_for() {
    case "$1" in
        retry-after|www-authenticate) echo "$project/dict/header.dict" ;;
        urls) echo "$project/dict/urls.dict" ;;
        *) echo "$project/dict/json.dict" ;;
    esac
}

crashed=0
summary=()
for t in $targets; do
    findings="$out/$t"
    rm -rf "$findings"
    echo "== afl-fuzz $t for $seconds s (log: $out/$t.log)"
    # -m none: the .NET runtime reserves far more address space than afl's default limit. -t: a hang is an input that
    # takes 5 s (the out-of-process fork server restarts the child, so a hang does not end the run).
    if ! afl-fuzz -i "$project/corpus/$t" -o "$findings" -x "$(dict_for "$t")" -m none -t 5000 -V "$seconds" \
        -- "$(command -v dotnet)" "$publish/M365.SharpFuzz.dll" "$t" >"$out/$t.log" 2>&1; then
        echo "afl-fuzz failed for $t; the end of its log:" >&2
        tail -n 30 "$out/$t.log" >&2
        summary+=("$(printf '%-20s afl-fuzz failed, see %s' "$t" "$out/$t.log")")
        crashed=1
        continue
    fi

    stats="$findings/default/fuzzer_stats"
    stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
    hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
    execs=$(stat execs_done)
    runtime=$(stat run_time)
    rate=$(awk -v e="$execs" -v s="$runtime" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')
    line=$(printf '%-20s %10s execs in %4s s (%5s/s)  corpus %5s  crashes %3s  hangs %3s' "$t" "$execs" "$runtime" "$rate" "$(stat corpus_count)" "$crashes" "$hangs")
    summary+=("$line")
    echo "$line"
    if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
        crashed=1
        echo "   crash inputs: $findings/default/crashes  hangs: $findings/default/hangs"
        echo "   replay:       dotnet $publish/M365.SharpFuzz.dll --replay $t $findings/default/crashes"
    fi
done

echo
echo "== Summary ($seconds s per target; findings under $out)"
printf '%s\n' "${summary[@]}"
exit "$crashed"
