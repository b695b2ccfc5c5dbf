#!/usr/bin/env bash
# Load test with locust against gunicorn: the product mix, the ceiling (/healthz), and report
# submission against a bare authenticated insert. CSVs and a summary land in bench/out/.
#   bench/load.sh sqlite 60        bench/load.sh postgres 60
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-sqlite}"
seconds="${2:-60}"
port=8088
out="bench/out"
mkdir -p "$out"

if [ "$db" = postgres ]; then
  export DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'bench_load'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE bench_load"
else
  export DATABASE_URL="sqlite:///$PWD/$out/load.db"
fi
export LOG_LEVEL=WARNING LOGIN_LIMIT_PER_IP="100000 per minute" LOGIN_LIMIT_PER_ACCOUNT="100000 per minute"

[ -x .venv-bench/bin/locust ] || { python3 -m venv .venv-bench && .venv-bench/bin/pip install -q -r requirements/bench.txt; }
make -s .venv/.deps >/dev/null
.venv/bin/python bench/load_setup.py --patients 200

.venv/bin/gunicorn -c config/gunicorn.py --workers 4 --bind "127.0.0.1:$port" wsgi:app &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
until curl -sf "127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
rss() { ps -o rss= --ppid "$server" | awk '{s+=$1} END {print s}'; }

run() {  # name users seconds classes...
  local name=$1 users=$2 secs=$3; shift 3
  .venv-bench/bin/locust -f bench/locustfile.py --headless --only-summary -H "http://127.0.0.1:$port" \
    -u "$users" -r "$users" -t "${secs}s" --csv "$out/${db}_$name" "$@" >/dev/null 2>&1 || true
}

rss_start=$(rss)
( while sleep 30; do echo "$(date -u +%H:%M:%S) $(rss)"; done ) > "$out/${db}_rss.txt" &
sampler=$!
run mix 30 "$seconds" PatientUser ClinicianUser PushUser
kill $sampler
rss_end=$(rss)
run ceiling 10 20 CeilingUser
run bare_insert 10 20 BareInsertUser
run submit 10 20 SubmitterUser

.venv/bin/python - "$db" "$out" "$rss_start" "$rss_end" <<'PY'
import csv, sys
db, out, rss_start, rss_end = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def rows(name):
    with open(f"{out}/{db}_{name}_stats.csv") as fh:
        return list(csv.DictReader(fh))
def agg(name):
    return next(r for r in rows(name) if r["Name"] == "Aggregated")
ceiling = float(agg("ceiling")["Requests/s"])
print(f"== {db}")
print(f"{'endpoint':38} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'fail':>5}")
for r in rows("mix"):
    print(f"{r['Type'] + ' ' + r['Name']:38} {float(r['Requests/s']):8.1f} {r['50%']:>7} {r['95%']:>7} {r['Failure Count']:>5}")
for name in ("ceiling", "bare_insert", "submit"):
    r = agg(name)
    rps = float(r["Requests/s"])
    print(f"{name:38} {rps:8.1f} {r['50%']:>7} {r['95%']:>7} {r['Failure Count']:>5}  ({rps / ceiling:.0%} of ceiling)")
print(f"report submission / bare insert: {float(agg('submit')['Requests/s']) / float(agg('bare_insert')['Requests/s']):.2f}")
print(f"worker memory (RSS, all workers): {rss_start / 1024:.0f} MB before the mix, {rss_end / 1024:.0f} MB after")
samples = [int(line.split()[1]) for line in open(f"{out}/{db}_rss.txt") if len(line.split()) == 2]
if samples:
    print("every 30 s during the mix (MB): " + " ".join(f"{s / 1024:.0f}" for s in samples))
PY
