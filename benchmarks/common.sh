# Shell pieces several benchmarks share; sourced (`. benchmarks/common.sh`) after `cd "$root"`, with
# `root` set to the repository.

# A CSV of N posts as a monitoring system exports it, detected in the hour before 10:00 on 2026-12-01
# (the benchmarks' simulated morning), each a post of its own: benchmarks/import, benchmarks/import-cpu.
posts_csv() {
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print("network;url;author;text;detected_at;external_id;topics")
for i in range(n):
    minute = i * 59 // max(1, n - 1)
    print(f"vk;https://vk.com/wall-77_{i + 1};Житель {i % 997};\"Обращение {i}: во дворе дома {i % 120} не убран снег; просим помочь\";"
          f"01.12.2026 09:{minute:02d};bench-{i + 1};ЖКХ")
PY
}

# The CPU process PID has used, user and system, in clock ticks (`getconf CLK_TCK` a second), from /proc.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# before_build NAME REV PRODUCT...: REV's PRODUCTs built release in its own worktree
# (.build-before/tree, kept while it stays at REV: a new checkout would build everything again) and
# scratch path (.build-before/build); prints the directory that holds them. NAME (the benchmark) says
# who could not build REV.
before_build() {
  local name=$1 rev=$2 tree="$root/.build-before/tree" product
  shift 2
  if [ "$(git -C "$tree" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$rev")" ]; then
    git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
    git worktree prune
    git worktree add --quiet --detach --force "$tree" "$rev"
  fi
  for product in "$@"; do
    swift build -c release --product "$product" --package-path "$tree" --scratch-path "$root/.build-before/build" \
      >"$root/.build-before/build.log" 2>&1 ||
      { tail -20 "$root/.build-before/build.log" >&2; echo "$name: $rev does not build" >&2; exit 1; }
  done
  swift build -c release --show-bin-path --package-path "$tree" --scratch-path "$root/.build-before/build"
}
