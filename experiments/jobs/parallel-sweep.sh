#!/usr/bin/env bash
# parallel-sweep.sh: run a gossipsim sweep as SHARDS shards with GNU parallel,
# on this machine or over ssh, then merge the shards into one result.
#
# Usage:
#   parallel-sweep.sh EXPERIMENT SHARDS OUTDIR [-- EXTRA SWEEP FLAGS...]
#
#   EXPERIMENT  a named experiment (gossipsim experiments lists them), or "-"
#               for a sweep set only by the extra flags (--grid, --scenario...)
#   SHARDS      how many disjoint slices to cut the sweep's runs into
#   OUTDIR      the merged result goes here; shard i is written to
#               OUTDIR/shards/i first
#   EXTRA       any gossipsim sweep flag (--replicates 5, --nodes 500,
#               --grid ..., --workers 2); --plot-format and --dpi also go to
#               the merge
#
# Environment:
#   GOSSIPSIM     the gossipsim binary (default: gossipsim on PATH)
#   JOBS          shards run at once per machine (default: SHARDS); each
#                 shard runs --workers 1 unless EXTRA gives --workers
#   SSHLOGINFILE  a GNU parallel --sshloginfile: one host per line
#                 ("4/user@host" runs 4 jobs there, ":" is this machine). The
#                 binary must be at the same absolute path on every host and
#                 OUTDIR on a filesystem every host shares.
#
# Running it again with the same arguments finishes what an interrupted run
# left (each shard runs with --resume); a finished OUTDIR is refused by merge.
# Example:
#   experiments/jobs/parallel-sweep.sh corruption 4 results/corruption
#   SSHLOGINFILE=hosts.txt experiments/jobs/parallel-sweep.sh corruption 16 /shared/corruption
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}
die() {
	echo "parallel-sweep.sh: $*" >&2
	exit 2
}

[ $# -ge 3 ] || usage
experiment=$1 shards=$2 out=$3
shift 3
[ "${1-}" != "--" ] || shift
case $shards in '' | *[!0-9]* | 0*) die "SHARDS: \"$shards\" is not a whole number of at least 1" ;; esac
jobs=${JOBS:-$shards}
case $jobs in '' | *[!0-9]* | 0*) die "JOBS: \"$jobs\" is not a whole number of at least 1" ;; esac
command -v parallel >/dev/null || die "GNU parallel is not installed (Debian and Ubuntu: apt-get install parallel)"

# The binary and OUTDIR as absolute paths: remote hosts start in another directory.
bin=$(command -v -- "${GOSSIPSIM:-gossipsim}") || die "GOSSIPSIM: \"${GOSSIPSIM:-gossipsim}\" is not an executable (set GOSSIPSIM to the gossipsim binary)"
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
mkdir -p -- "$out/shards"
out=$(cd -- "$out" && pwd -P)

sweep=("$bin" sweep)
[ "$experiment" = "-" ] || sweep+=(--experiment "$experiment")
sweep+=(--workers 1 --quiet --resume "$@")

# The merge draws the figures: it needs the sweep's figure flags.
merge_flags=()
while [ $# -gt 0 ]; do
	case $1 in
	--plot-format=* | --dpi=*) merge_flags+=("$1") ;;
	--plot-format | --dpi) merge_flags+=("$1" "${2-}") && shift ;;
	esac
	shift
done

remote=()
[ -z "${SSHLOGINFILE-}" ] || remote=(--sshloginfile "$SSHLOGINFILE")

# -q quotes every word of the command (paths with spaces, over ssh too);
# --halt stops at the first failed shard and makes parallel exit non-zero.
parallel --will-cite -q -j "$jobs" "${remote[@]}" --halt now,fail=1 --tag \
	--joblog "$out/shards/joblog" \
	"${sweep[@]}" --shard '{}'/"$shards" --out "$out/shards/{}" ::: $(seq 1 "$shards")

dirs=()
for i in $(seq 1 "$shards"); do dirs+=("$out/shards/$i"); done
"$bin" merge "${dirs[@]}" --out "$out" "${merge_flags[@]}"
