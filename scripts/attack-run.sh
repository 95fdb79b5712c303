#!/usr/bin/env bash
# The outside review's attacks of issue 10, replayed against a running FaceRoster (docs/hardening.md).
#
#   FR_URL=http://localhost:8080 FR_ADMIN=<admin key> FR_HR=<enroll key> FR_DOOR=<identify key> \
#     [FR_PID=<service pid, for its peak resident memory>] scripts/attack-run.sh
#
# Prints one line per attack (expected and received status) and exits non-zero when any answer is a 5xx, an
# expectation is not met, or the service is not healthy afterwards. Needs bash, curl and python3. It creates the
# employee "attack-target" (and erases it at the end).
set -u
URL=${FR_URL:-http://localhost:8080}
ADMIN=${FR_ADMIN:?admin key in FR_ADMIN}
HR=${FR_HR:?enroll key in FR_HR}
DOOR=${FR_DOOR:?identify key in FR_DOOR}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILED=0

python3 - "$WORK" <<'PY'
import struct, sys, zlib, os
out = sys.argv[1]
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
def png(w, h, depth, ctype, row_bytes):
    z = zlib.compressobj(9)
    row = b"\0" * (row_bytes + 1)
    data = b"".join(z.compress(row) for _ in range(h)) + z.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))
open(f"{out}/strip-1x5m.png", "wb").write(png(1, 5_000_000, 8, 0, 1))
open(f"{out}/strip-1x10m.png", "wb").write(png(1, 10_000_000, 8, 0, 1))
open(f"{out}/strip-1x40m.png", "wb").write(png(1, 40_000_000, 8, 0, 1))
open(f"{out}/rgba16-6324.png", "wb").write(png(6324, 6324, 16, 6, 6324 * 8))
# A 56-byte WebP whose consistent RIFF and VP8 headers declare 6000 x 6000 pixels.
payload = struct.pack("<I", (20 << 5) | 0x10)[:3] + b"\x9d\x01\x2a" + struct.pack("<HH", 6000, 6000) + os.urandom(26)
webp = b"RIFF" + struct.pack("<I", 12 + len(payload)) + b"WEBPVP8 " + struct.pack("<I", len(payload)) + payload
open(f"{out}/webp-6000.webp", "wb").write(webp)
# A noise image a face pipeline accepts (detect=false), for the threshold attack.
rows = b"".join(b"\0" + os.urandom(92) for _ in range(112))
open(f"{out}/noise.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 92, 112, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
# A truncated WebP: its RIFF header declares more than the file holds.
open(f"{out}/webp-truncated.webp", "wb").write(webp[:40])
PY

# expect <name> <expected status list> <actual status>
expect() {
  local name=$1 want=$2 got=$3
  if [[ $got == 5* || $got == 000 ]] || [[ ! " $want " == *" $got "* ]]; then
    echo "FAIL  $name: got $got, expected $want"; FAILED=1
  else
    echo "ok    $name: $got"
  fi
}
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 120 "$@"; }
upload() { status -H "X-API-Key: $1" -F "image=@$2" "$URL$3"; }
raw_path() {  # method path key: sends the path exactly as given
  status --path-as-is -X "$1" -H "X-API-Key: $3" "$URL$2"
}

curl -s -o /dev/null -H "X-API-Key: $HR" -H 'Content-Type: application/json' \
  -d '{"employeeId":"attack-target","displayName":"Attack Target","consent":{"reference":"attack run"}}' \
  "$URL/api/v1/employees"

# In parallel, one key's requests beyond faceroster.security.max-concurrent-requests-per-key (16) are refused with
# 429 too_many_concurrent_requests: also a client error, never a 5xx.
echo "== 1, 2: images (in parallel)"
pids=()
for f in strip-1x10m strip-1x10m strip-1x10m strip-1x40m strip-1x5m; do
  ( expect "$f detect=false" "400 429" "$(upload "$DOOR" "$WORK/$f.png" '/api/v1/identify?detect=false')" ) & pids+=($!)
done
for i in $(seq 1 40); do
  ( expect "webp-6000 #$i" "400 429" "$(upload "$DOOR" "$WORK/webp-6000.webp" /api/v1/identify)" ) & pids+=($!)
done
for i in 1 2 3 4; do
  ( expect "rgba16-6324 #$i" "400 429" "$(upload "$DOOR" "$WORK/rgba16-6324.png" /api/v1/identify)" ) & pids+=($!)
done
( expect "webp truncated" "400 429" "$(upload "$DOOR" "$WORK/webp-truncated.webp" /api/v1/identify)" ) & pids+=($!)
( expect "strip enrol" "400 429" "$(upload "$HR" "$WORK/strip-1x5m.png" '/api/v1/employees/attack-target/faces?detect=false')" ) & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || FAILED=1; done
if [[ -n ${FR_PID:-} && -r /proc/$FR_PID/status ]]; then
  grep -E 'VmHWM|VmRSS' "/proc/$FR_PID/status"
fi

echo "== 5: stalled uploads of one key (20, Tomcat closes them after its connection timeout)"
for i in $(seq 1 20); do
  ( { printf 'POST /api/v1/identify HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n' "$DOOR"; sleep 30; } \
    | python3 -c 'import socket,sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); s=socket.create_connection((p.hostname,p.port or 80)); s.sendall(sys.stdin.buffer.read()); s.settimeout(40); s.recv(1)' "$URL" 2>/dev/null ) &
done
sleep 2
expect "health during stalled uploads" "200" "$(status "$URL/actuator/health")"
expect "another key during stalled uploads" "200" "$(status -H "X-API-Key: $ADMIN" "$URL/api/v1/model")"

echo "== 7, 9, 10, 11, 12"
expect "actuator/health/../env" "400" "$(raw_path GET /actuator/health/../env "$ADMIN")"
expect "admin/models/../activate" "400" "$(raw_path POST /api/v1/admin/models/../activate "$ADMIN")"
for p in employees admin/audit admin/training-jobs; do
  expect "page=2147483647 $p" "400" "$(status -H "X-API-Key: $ADMIN" "$URL/api/v1/$p?page=2147483647")"
done
codes=$(for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -H "X-API-Key: $HR" -H 'Content-Type: application/json' \
  -d '{"employeeId":"attack-race","displayName":"R","consent":{"reference":"r"}}' "$URL/api/v1/employees" & done; wait)
for c in $codes; do expect "concurrent create" "201 409" "$c"; done
python3 -c 'print("{\"employeeId\":\"attack-big\",\"displayName\":\"" + "x" * 3000000 + "\"}")' > "$WORK/big.json"
expect "3 MB JSON body" "413" "$(status -H "X-API-Key: $HR" -H 'Content-Type: application/json' --data-binary "@$WORK/big.json" "$URL/api/v1/employees")"
expect "identify threshold=2 (identify key)" "400" "$(upload "$DOOR" "$WORK/noise.png" '/api/v1/identify?detect=false&threshold=2')"
expect "consent year -999999999" "400" "$(status -H "X-API-Key: $HR" -H 'Content-Type: application/json' \
  -d '{"employeeId":"attack-old","displayName":"O","consent":{"reference":"r","givenAt":"-999999999-01-01T00:00:00Z"}}' "$URL/api/v1/employees")"
expect "refusal audited" "200" "$(status -H "X-API-Key: $ADMIN" "$URL/api/v1/admin/audit?action=access_refused")"

curl -s -o /dev/null -X DELETE -H "X-API-Key: $ADMIN" "$URL/api/v1/employees/attack-target"
curl -s -o /dev/null -X DELETE -H "X-API-Key: $ADMIN" "$URL/api/v1/employees/attack-race"
expect "health afterwards" "200" "$(status "$URL/actuator/health")"
exit $FAILED
