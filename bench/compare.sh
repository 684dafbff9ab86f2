#!/usr/bin/env bash
# Builds the benchmark corpora with fixbook and with every peer generator on this machine, several runs each,
# and prints median wall time, peak RSS and output bytes, with fixbook's ratio to each peer from the same run.
#
#   bench/compare.sh                      # 1,000 and 10,000 pages, 5 runs each (this machine is noisy)
#   RUNS=5 SIZES="10000" bench/compare.sh
#
# Peers: Hugo (Debian's `hugo`), Zola (`zola` on PATH, or ZOLA=/path/to/zola; not in the registries), and
# mdBook (`mdbook` on PATH, from `cargo install mdbook`) at 1,000 pages only: it grows with the square of the
# page count (about 10 minutes at 10,000). Input and output live on tmpfs (/dev/shm) to keep disk noise out.
# The corpus comes from ../shared/bench/make-corpus.py, used as it is.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000"}
WORK=${WORK:-/dev/shm/fixbook-bench}
MAKE_CORPUS=${MAKE_CORPUS:-$ROOT/../shared/bench/make-corpus.py}
ZOLA=${ZOLA:-$(command -v zola || true)}
HUGO=$(command -v hugo || true)
MDBOOK=$(command -v mdbook || true)

(cd "$ROOT" && cargo build --release --quiet)
FIXBOOK=$ROOT/target/release/fixbook
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: > "$RESULTS"

# run TOOL SIZE OUT -- command...: times one build, appends "tool size wall_s rss_kb bytes status" to
# RESULTS. OUT is the build's output folder under $WORK (removed first), or "-" for a command that writes
# nothing. A build that fails or is killed (Hugo at 100,000 pages can exhaust a 24 GB machine: the kernel's
# OOM killer stops it) is recorded with its exit status, and the comparison goes on.
run() {
  local tool=$1 size=$2 out=$3
  shift 4
  case "$out" in
    -) ;;
    "$WORK"/*) rm -rf "$out" ;;
    *) echo "refusing to clear $out: outputs live under $WORK" >&2; exit 2 ;;
  esac
  local t status=ok code=0
  /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$@" >/dev/null 2>&1 || code=$?
  t=$(tail -n 1 "$WORK/time.txt")
  # time exits with the command's status, or 128 + the signal that killed it (137: SIGKILL, the OOM killer).
  [ "$code" = 0 ] || status="failed (exit $code)"
  local bytes=0
  if [ "$status" != ok ]; then
    echo "$tool at $size pages: $status" >&2
  elif [ "$out" != - ]; then
    bytes=$(du -sb "$out" 2>/dev/null | cut -f1) || bytes=0
  fi
  echo -e "$tool\t$size\t${t% *}\t${t#* }\t${bytes:-0}\t$status" >> "$RESULTS"
}

for size in $SIZES; do
  corpus=$WORK/c$size
  if [ ! -d "$corpus/fixbook" ]; then
    python3 "$MAKE_CORPUS" "$corpus" --pages "$size" --flavour all --force >/dev/null
  fi
  for i in $(seq "$RUNS"); do
    run fixbook "$size" "$WORK/out-fixbook" -- "$FIXBOOK" --root "$corpus/fixbook" build --output "$WORK/out-fixbook"
    [ -n "$HUGO" ] && run hugo "$size" "$WORK/out-hugo" -- "$HUGO" --source "$corpus/hugo" --destination "$WORK/out-hugo" --quiet
    [ -n "$ZOLA" ] && run zola "$size" "$WORK/out-zola" -- "$ZOLA" --root "$corpus/zola" build --output-dir "$WORK/out-zola" --force
    if [ -n "$MDBOOK" ] && [ "$size" -le 1000 ]; then
      run mdbook "$size" "$WORK/out-mdbook" -- "$MDBOOK" build "$corpus/mdbook" --dest-dir "$WORK/out-mdbook"
    fi
  done
  run fixbook-check "$size" - -- "$FIXBOOK" --root "$corpus/fixbook" check
done

python3 - "$RESULTS" "$RUNS" <<'PY'
import statistics, sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    tool, size, wall, rss, out, status = line.rstrip("\n").split("\t")
    if status != "ok":
        print(f"{tool} at {size} pages: {status} after {wall} s at {int(rss) // 1024} MB peak RSS")
        continue
    rows[(int(size), tool)].append((float(wall), int(rss), int(out)))
med = {k: (statistics.median(w for w, _, _ in v), max(r for _, r, _ in v), statistics.median(o for _, _, o in v), len(v))
       for k, v in rows.items()}
print(f"{'pages':>6} {'tool':<14} {'runs':>4} {'median s':>9} {'peak RSS MB':>12} {'output MB':>10} {'fixbook/peer':>13}")
for (size, tool), (wall, rss, out, n) in sorted(med.items()):
    fb = med.get((size, "fixbook"))
    ratio = f"{fb[0] / wall:.3f}" if fb and tool not in ("fixbook", "fixbook-check") else ""
    outmb = f"{out / 1e6:.1f}" if tool != "fixbook-check" else "-"
    print(f"{size:>6} {tool:<14} {n:>4} {wall:>9.2f} {rss / 1024:>12.0f} {outmb:>10} {ratio:>13}")
PY
