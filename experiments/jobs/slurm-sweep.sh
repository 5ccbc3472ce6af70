#!/usr/bin/env bash
# slurm-sweep.sh: submit a gossipsim sweep to Slurm as a job array of SHARDS
# tasks (one shard each) and a merge job that starts only when every task
# has succeeded (--dependency=afterok). Prints the two job ids on stdout,
# "ARRAY_JOB_ID MERGE_JOB_ID", and what they are on stderr.
#
# Usage:
#   slurm-sweep.sh EXPERIMENT SHARDS OUTDIR [--] [EXTRA SWEEP FLAGS...]
#
#   EXPERIMENT  a named experiment (gossipsim experiments lists them), or "-"
#               for a sweep set only by the extra flags (--grid, --scenario...)
#   SHARDS      array size: task i runs --shard i/SHARDS
#   OUTDIR      the merged result goes here; shard i is written to
#               OUTDIR/shards/i, each task's log to OUTDIR/shards/slurm-JOB_i.out
#   EXTRA       any gossipsim sweep flag (--replicates 5, --nodes 500,
#               --grid ...); --plot-format and --dpi also go to the merge
#
# Environment:
#   GOSSIPSIM       the gossipsim binary (default: gossipsim on PATH); it must
#                   be at the same path on the compute nodes
#   CPUS_PER_TASK   CPUs per array task, and so its --workers (default 1)
#   sbatch reads its own settings from the environment too, for both jobs:
#   SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, SBATCH_QOS, ...
#
# OUTDIR must be on a filesystem the compute nodes share. Submitting again
# with the same arguments after a failure finishes the shards where they
# stopped (each task runs with --resume), then merges.
# Example:
#   experiments/jobs/slurm-sweep.sh corruption 16 "$HOME/results/corruption"
set -euo pipefail

die() {
	echo "slurm-sweep.sh: $*" >&2
	exit 2
}

# Inside a job: sbatch runs a copy of this script with "task" or "merge"
# and the absolute paths the submission resolved.
case "${1-}" in
task)
	# task BIN SHARDS OUTDIR [sweep args...]
	bin=$2 shards=$3 out=$4
	shift 4
	i=${SLURM_ARRAY_TASK_ID:?not inside a Slurm array task}
	exec "$bin" sweep --workers "${SLURM_CPUS_PER_TASK:-1}" --quiet --resume "$@" \
		--shard "$i/$shards" --out "$out/shards/$i"
	;;
merge)
	# merge BIN SHARDS OUTDIR [merge flags...]
	bin=$2 shards=$3 out=$4
	shift 4
	dirs=()
	for i in $(seq 1 "$shards"); do dirs+=("$out/shards/$i"); done
	exec "$bin" merge "${dirs[@]}" --out "$out" "$@"
	;;
esac

if [ $# -lt 3 ]; then
	sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
	exit 2
fi
experiment=$1 shards=$2 out=$3
shift 3
[ "${1-}" != "--" ] || shift
case $shards in '' | *[!0-9]* | 0*) die "SHARDS: \"$shards\" is not a whole number of at least 1" ;; esac
cpus=${CPUS_PER_TASK:-1}
case $cpus in '' | *[!0-9]* | 0*) die "CPUS_PER_TASK: \"$cpus\" is not a whole number of at least 1" ;; esac
command -v sbatch >/dev/null || die "sbatch is not on PATH (run this on a Slurm login node)"

# Absolute paths: the jobs run a spooled copy of this script, maybe elsewhere.
bin=$(command -v -- "${GOSSIPSIM:-gossipsim}") || die "GOSSIPSIM: \"${GOSSIPSIM:-gossipsim}\" is not an executable (set GOSSIPSIM to the gossipsim binary)"
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
mkdir -p -- "$out/shards"
out=$(cd -- "$out" && pwd -P)

sweep_args=()
[ "$experiment" = "-" ] || sweep_args+=(--experiment "$experiment")
sweep_args+=("$@")
merge_flags=()
while [ $# -gt 0 ]; do
	case $1 in
	--plot-format=* | --dpi=*) merge_flags+=("$1") ;;
	--plot-format | --dpi) merge_flags+=("$1" "${2-}") && shift ;;
	esac
	shift
done

name=gossipsim-${experiment/#-/sweep}
# sbatch passes the script's arguments through as they are: no shell quoting.
array=$(sbatch --parsable --job-name="$name" --array="1-$shards" --cpus-per-task="$cpus" \
	--output="$out/shards/slurm-%A_%a.out" \
	"$0" task "$bin" "$shards" "$out" "${sweep_args[@]}")
array=${array%%;*} # --parsable prints JOBID or JOBID;CLUSTER
merge=$(sbatch --parsable --job-name="$name-merge" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
	--output="$out/shards/slurm-merge-%j.out" \
	"$0" merge "$bin" "$shards" "$out" "${merge_flags[@]}")
merge=${merge%%;*}
echo "slurm-sweep.sh: array job $array ($shards tasks), merge job $merge (after every task succeeds): results in $out" >&2
echo "slurm-sweep.sh: watch with squeue -j $array,$merge; afterwards sacct -j $array,$merge" >&2
echo "$array $merge"
