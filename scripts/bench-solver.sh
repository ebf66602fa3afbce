#!/usr/bin/env bash
# bench-solver.sh — `parcours solve` against LEMON's dimacs-solver on the
# same generated DIMACS files: same optimum, wall time (hyperfine), peak
# memory (/usr/bin/time -v). Prints a Markdown table.
#
# Usage: scripts/bench-solver.sh [SIZE...]     (default: 1000 10000 100000)
# Env:   RUNS=5      hyperfine runs per command (warm-up 1)
#        SHAPE="-arcs 30 -capmin 1 -capmax 5"  generator flags besides sizes
#        SEED=1      generator seed
#        KEEP=dir    keep the generated files in dir
# Needs: go, dimacs-solver (liblemon-utils), hyperfine, GNU time, jq.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
runs=${RUNS:-5}
shape=${SHAPE:-"-arcs 30 -capmin 1 -capmax 5"}
seed=${SEED:-1}

for tool in dimacs-solver hyperfine jq /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench-solver: $tool is missing" >&2; exit 1; }
done

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
go build -o "$work/parcours" ./cmd/parcours
bin="$work/parcours"

peak_kb() { # peak resident set size of a command, in KB
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}'
}

echo "Generated with: parcours generate -seekers N -openings N $shape -seed $seed"
echo "Machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(go version | cut -d' ' -f3); $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| seekers × openings | arcs | file | parcours solve | dimacs-solver | parcours peak RSS | dimacs-solver peak RSS | optimum (both) |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
	f="$work/batch-$n.min"
	# shellcheck disable=SC2086
	"$bin" generate -seekers "$n" -openings "$n" $shape -seed "$seed" >"$f"
	arcs=$(awk '/^p / {print $4; exit}' "$f")
	mb=$(du -m "$f" | cut -f1)

	"$bin" solve "$f" >"$work/solution-$n.txt"
	ours=$(head -1 "$work/solution-$n.txt" | cut -d' ' -f2)
	lemon=$(dimacs-solver "$f" 2>&1 >/dev/null | awk -F': ' '/Min flow cost/ {print $2}')
	if [ "$ours" != "$lemon" ]; then
		echo "bench-solver: n=$n: parcours cost $ours, dimacs-solver cost $lemon" >&2
		exit 1
	fi

	hyperfine --warmup 1 --runs "$runs" --export-json "$work/h-$n.json" --style none \
		-n parcours "$bin solve $f" \
		-n lemon "dimacs-solver $f" >/dev/null 2>&1
	t_ours=$(jq -r '.results[] | select(.command=="parcours") | "\(.mean*1000|floor) ± \(.stddev*1000|floor) ms"' "$work/h-$n.json")
	t_lemon=$(jq -r '.results[] | select(.command=="lemon") | "\(.mean*1000|floor) ± \(.stddev*1000|floor) ms"' "$work/h-$n.json")

	m_ours=$(peak_kb "$bin" solve "$f")
	m_lemon=$(peak_kb dimacs-solver "$f")
	printf '| %s × %s | %s | %s MB | %s | %s | %s MB | %s MB | %s |\n' "$n" "$n" "$arcs" "$mb" \
		"$t_ours" "$t_lemon" "$((m_ours / 1024))" "$((m_lemon / 1024))" "$ours"
done
