#!/usr/bin/env bash
# Sets everything up, then opens the demotrace app. With no display it starts
# a virtual one (Xvfb :77) so the app still runs on a headless machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  export DISPLAY=:77
  if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1; then
    Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
    for _ in $(seq 50); do xdpyinfo -display "$DISPLAY" >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "no display found: running on the virtual display $DISPLAY"
fi
exec .venv/bin/demotrace "$@"
