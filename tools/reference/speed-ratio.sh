#!/usr/bin/env bash
# The speed check of issue 11: dlib's ResNet in PyTorch (tools/reference/dlib_resnet_torch.py, Debian's
# python3-torch) and in FaceRoster's DJL port, one thread each, back to back on this machine, with the
# DJL / PyTorch time ratio per face at batch 1 and 8 (wall and CPU time), and FaceRoster's HTTP identify with
# detection against detection + embedding. A developer tool: needs python3-torch (apt) and the face-api model
# folder (see tools/reference/README.md); nothing in the build uses it.
#
#   tools/reference/speed-ratio.sh MODEL_FOLDER FACE_PHOTO [RUNS]     (after ./mvnw package)
#   [LD_LIBRARY_PATH=<openblas>] also runs PyTorch on that BLAS: see tools/reference/README.md
set -euo pipefail
model=${1:?the face-api model/ folder}
face=${2:?a photo with one face, e.g. ../shared/data/orl-faces/s35/1.pgm}
runs=${3:-50}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 "$(dirname "$0")/dlib_resnet_torch.py" --model-dir "$model" --bench --runs "$runs" > "$out/torch.json"
java -jar target/faceroster-*-SNAPSHOT.jar benchmark --speed "$face" --runs "$runs" 2>/dev/null | tail -n 1 > "$out/djl.json"
/usr/bin/python3 - "$out/torch.json" "$out/djl.json" <<'PY'
import json, sys
torch = json.load(open(sys.argv[1]))
djl = json.load(open(sys.argv[2]))
nchw = {r["batch"]: r for r in torch["results"] if r["layout"] == "nchw"}
b = djl["backbone"]
print(json.dumps({"torch": torch, "djl": djl}))
print(f"load average: torch {torch['loadAverageBefore']}, DJL {djl['loadAverageBefore']:.2f}")
for batch in (1, 8):
    t, d = nchw[batch], b
    print(f"batch {batch}: DJL {d[f'batch{batch}MedianMsPerFace']:.1f} ms/face wall, "
          f"{d[f'batch{batch}CpuMsPerFace']:.1f} CPU; PyTorch {t['medianMsPerFace']:.1f} wall, "
          f"{t['cpuMsPerFace']:.1f} CPU; ratio DJL/PyTorch {d[f'batch{batch}MedianMsPerFace'] / t['medianMsPerFace']:.2f} "
          f"wall, {d[f'batch{batch}CpuMsPerFace'] / t['cpuMsPerFace']:.2f} CPU")
h = djl["http"]
print(f"HTTP identify with detection, 640x480: median {h['concurrency1MedianMs']} ms (p99 {h['concurrency1P99Ms']}) "
      f"at concurrency 1, {h['concurrency4MedianMs']} ms (p99 {h['concurrency4P99Ms']}) at 4; detection + embedding "
      f"{h['detectionPlusEmbeddingMs']} ms; ratio {h['medianOverDetectionPlusEmbedding']}")
PY
