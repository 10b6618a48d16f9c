#!/usr/bin/env bash
# Start the Huey consumer in the background and the ASGI server in the foreground; stop both together.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
$py manage.py run_huey --quiet &
huey_pid=$!
trap 'kill $huey_pid 2>/dev/null || true' EXIT INT TERM
echo "Hearth is at http://$host:$port  (Ctrl+C stops it)"
exec_status=0
$py -m uvicorn hearth.config.asgi:application --host "$host" --port "$port" --no-access-log --lifespan off || exec_status=$?
exit $exec_status
