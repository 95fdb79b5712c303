#!/usr/bin/env python3
"""dlib's face-recognition ResNet (29 conv layers, 150x150 RGB -> 128-d) in PyTorch, read directly from the
TF.js weights of the npm package @vladmandic/face-api 1.7.15 (model/face_recognition_model.bin and its
weights manifest). It mirrors face-api's faceRecognitionNet op for op (src/faceRecognitionNet/*.ts):

  x = (rgb - (122.782, 117.001, 104.298)) / 255      face-api divides by 255; dlib's C++ divides by 256
  conv32_down: conv 7x7 stride 2 'valid' + bias, scale (x * weights + biases), relu
  max pool 3x3 stride 2 'valid'
  residual (conv32_1..3, conv64_1..3, conv128_1..2, conv256_1..2):
      relu(scale(conv3x3 'same'(x)+b)) -> scale(conv3x3 'same'+b) -> + x -> relu
  residualDown (conv64_down, conv128_down, conv256_down, conv256_down_out):
      relu(scale(conv3x3 stride 2 'valid'+b)) -> scale(conv3x3 'same'+b); shortcut avg pool 2x2 stride 2
      'valid', zero channels appended; where the main path is smaller than the pooled shortcut it is
      zero-padded at the bottom/right; sum, relu
  mean over H, W; matrix product with fc [256, 128] (no bias, no L2 normalisation)

Spatial sizes: 150 -> 72 (conv32_down) -> 35 (max pool) -> 17 -> 8 -> 4 -> 2. In conv256_down (main path 3x3,
shortcut 4x4) and conv256_down_out (main path 1x1, shortcut 2x2) the zero padding of the main path is
not a corner case: it decides the output (dlib's add_prev pads the smaller tensor the same way).

usage:
  dlib_resnet_torch.py --model-dir DIR --chip CHIP.png [CHIP.png ...]
      prints one JSON object per chip: {"chip", "descriptor", "l2Norm"}; with --compare REF.json
      (face-api-descriptor.mjs output, one file per chip in order) it adds maxAbsDiff and exits 1 above
      --tolerance (default 1e-4); --trace prints every stage's shape, sum and first values to stderr
  dlib_resnet_torch.py --model-dir DIR --bench [--runs 50] [--warmup 10] [--threads 1]
      times the forward pass at batch 1 and 8, NCHW and channels_last; prints one JSON object

Needs only numpy and torch (Debian: apt-get install python3-torch; run with /usr/bin/python3).
"""

import argparse
import hashlib
import json
import os
import platform
import statistics
import struct
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

MEAN_RGB = (122.782, 117.001, 104.298)
CHIP = 150
RESIDUAL_ORDER = [
    ("conv32_1", False), ("conv32_2", False), ("conv32_3", False),
    ("conv64_down", True), ("conv64_1", False), ("conv64_2", False), ("conv64_3", False),
    ("conv128_down", True), ("conv128_1", False), ("conv128_2", False),
    ("conv256_down", True), ("conv256_1", False), ("conv256_2", False),
    ("conv256_down_out", True),
]
DTYPE_BYTES = {"float32": 4, "int32": 4, "uint8": 1, "uint16": 2}


def load_weights(model_dir):
    """Reads the TF.js manifest + bin; dequantises as TF.js io.decodeWeights: float32(byte * scale + min)."""
    manifest_path = os.path.join(model_dir, "face_recognition_model-weights_manifest.json")
    with open(manifest_path, "rb") as f:
        manifest = json.load(f)
    weights = {}
    digest = hashlib.sha256()
    for group in manifest:
        data = b""
        for p in group["paths"]:
            with open(os.path.join(model_dir, p), "rb") as f:
                data += f.read()
        digest.update(data)
        offset = 0
        for spec in group["weights"]:
            shape = spec["shape"]
            count = int(np.prod(shape)) if shape else 1
            q = spec.get("quantization")
            if q:
                stored = q["dtype"]
                raw = np.frombuffer(data, dtype=np.dtype(stored).newbyteorder("<"), count=count, offset=offset)
                values = (raw.astype(np.float64) * q["scale"] + q["min"]).astype(np.float32)
            else:
                stored = spec["dtype"]
                values = np.frombuffer(data, dtype=np.dtype("<f4"), count=count, offset=offset).copy()
            if spec["dtype"] != "float32":
                raise ValueError(f"{spec['name']}: unexpected dtype {spec['dtype']}")
            offset += count * DTYPE_BYTES[stored]
            weights[spec["name"]] = values.reshape(shape)
        if offset != len(data):
            raise ValueError(f"manifest describes {offset} bytes, the weights file has {len(data)}")
    return weights, digest.hexdigest()


class ConvScale(nn.Module):
    """conv + bias, then dlib's affine layer (face-api 'scale': x * weights + biases)."""

    def __init__(self, w, prefix, stride, padding):
        super().__init__()
        filters = torch.from_numpy(w[f"{prefix}/conv/filters"]).permute(3, 2, 0, 1).contiguous()  # HWIO -> OIHW
        self.conv = nn.Conv2d(filters.shape[1], filters.shape[0], filters.shape[2], stride=stride, padding=padding)
        with torch.no_grad():
            self.conv.weight.copy_(filters)
            self.conv.bias.copy_(torch.from_numpy(w[f"{prefix}/conv/bias"]))
        self.register_buffer("scale_w", torch.from_numpy(w[f"{prefix}/scale/weights"]).view(1, -1, 1, 1).clone())
        self.register_buffer("scale_b", torch.from_numpy(w[f"{prefix}/scale/biases"]).view(1, -1, 1, 1).clone())

    def forward(self, x):
        return self.conv(x) * self.scale_w + self.scale_b


class Residual(nn.Module):
    def __init__(self, w, prefix, down):
        super().__init__()
        self.down = down
        # TF 'same' with a 3x3 kernel at stride 1 pads one pixel on every side; 'valid' pads none.
        self.conv1 = ConvScale(w, f"{prefix}/conv1", stride=2 if down else 1, padding=0 if down else 1)
        self.conv2 = ConvScale(w, f"{prefix}/conv2", stride=1, padding=1)

    def forward(self, x):
        out = self.conv2(F.relu(self.conv1(x)))
        if self.down:
            shortcut = F.avg_pool2d(x, 2, 2)
            pad_h = shortcut.shape[2] - out.shape[2]
            pad_w = shortcut.shape[3] - out.shape[3]
            if pad_h or pad_w:
                out = F.pad(out, (0, pad_w, 0, pad_h))  # zeros at the right and the bottom
            extra = out.shape[1] - shortcut.shape[1]
            if extra:
                shortcut = F.pad(shortcut, (0, 0, 0, 0, 0, extra))  # zero channels appended
        else:
            shortcut = x
        return F.relu(out + shortcut)


class DlibResNet(nn.Module):
    """Input: float RGB 0..255, NCHW [N, 3, 150, 150]. Output: [N, 128] descriptors (not normalised)."""

    def __init__(self, weights, divisor=255.0):
        super().__init__()
        self.register_buffer("mean", torch.tensor(MEAN_RGB, dtype=torch.float32).view(1, 3, 1, 1))
        self.divisor = float(divisor)
        self.conv32_down = ConvScale(weights, "conv32_down", stride=2, padding=0)
        self.blocks = nn.Sequential(*[Residual(weights, name, down) for name, down in RESIDUAL_ORDER])
        self.register_buffer("fc", torch.from_numpy(weights["fc"]).clone())

    def forward(self, rgb, trace=None):
        """trace: optional callable(name, tensor) called after every stage (for debugging a port)."""
        note = trace or (lambda name, t: None)
        x = (rgb - self.mean) / self.divisor
        note("input_normalised", x)
        x = F.relu(self.conv32_down(x))
        note("conv32_down", x)
        x = F.max_pool2d(x, 3, 2)
        note("max_pool", x)
        for (name, _), block in zip(RESIDUAL_ORDER, self.blocks):
            x = block(x)
            note(name, x)
        x = x.mean(dim=(2, 3))
        note("global_mean", x)
        x = x @ self.fc
        note("fc", x)
        return x


def read_png_rgb(path):
    """Minimal PNG reader (8-bit grey/RGB/RGBA, not interlaced) -> uint8 array [H, W, 3]; stdlib + numpy."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header, palette = 8, b"", None, None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    if depth != 8 or interlace:
        raise ValueError(f"{path}: only 8-bit non-interlaced PNGs are read (depth {depth}, interlace {interlace})")
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        cur = np.zeros(stride, dtype=np.int32)
        if kind == 0:
            cur = line
        elif kind == 2:
            cur = (line + prev) & 255
        elif kind in (1, 3, 4):
            for x in range(stride):
                a = cur[x - channels] if x >= channels else 0
                b = prev[x]
                c = prev[x - channels] if x >= channels else 0
                if kind == 1:
                    pred = a
                elif kind == 3:
                    pred = (a + b) >> 1
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + pred) & 255
        else:
            raise ValueError(f"{path}: bad filter type {kind}")
        out[y] = cur
        prev = cur
    img = out.reshape(height, width, channels).astype(np.uint8)
    if colour == 3:
        img = palette[img[:, :, 0]]
    elif colour in (0, 4):
        img = np.repeat(img[:, :, :1], 3, axis=2)
    elif colour == 6:
        if (img[:, :, 3] != 255).any():
            raise ValueError(f"{path}: transparent pixels; give an opaque RGB chip")
        img = img[:, :, :3]
    return img


def chip_tensor(paths):
    arrays = []
    for p in paths:
        img = read_png_rgb(p)
        if img.shape[:2] != (CHIP, CHIP):
            raise ValueError(f"{p}: {img.shape[1]}x{img.shape[0]}, expected {CHIP}x{CHIP} (no resizing is done)")
        arrays.append(img)
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).float()


def describe(model, args):
    refs = args.compare or []
    if refs and len(refs) != len(args.chip):
        raise SystemExit("--compare needs one reference JSON per chip, in the same order")
    def trace(name, t):
        first = t[0].permute(1, 2, 0) if t.dim() == 4 else t[0]  # NHWC order, as TF.js holds it
        print(json.dumps({"stage": name, "shape": list(t.shape), "sum": float(t.double().sum()),
                          "meanAbs": float(t.double().abs().mean()),
                          "first": [float(v) for v in first.flatten()[:4]]}), file=sys.stderr)

    with torch.no_grad():
        descriptors = model(chip_tensor(args.chip), trace=trace if args.trace else None)
    worst = 0.0
    for i, path in enumerate(args.chip):
        d = descriptors[i]
        result = {"chip": os.path.basename(path), "descriptor": [float(v) for v in d],
                  "l2Norm": float(d.double().norm())}
        if refs:
            with open(refs[i]) as f:
                ref = torch.tensor(json.load(f)["descriptor"], dtype=torch.float64)
            diff = float((d.double() - ref).abs().max())
            result["maxAbsDiff"] = diff
            result["reference"] = refs[i]
            worst = max(worst, diff)
        print(json.dumps(result))
    if refs:
        verdict = "ok" if worst <= args.tolerance else "FAILED"
        print(f"max abs difference against face-api over {len(refs)} chip(s): {worst:.3e} "
              f"(tolerance {args.tolerance:g}) {verdict}", file=sys.stderr)
        if worst > args.tolerance:
            sys.exit(1)


def bench(model, args):
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(0)
    results = []
    for layout in ("nchw", "channels_last"):
        fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
        net = model.to(memory_format=fmt)
        for batch in (1, 8):
            x = torch.randint(0, 256, (batch, 3, CHIP, CHIP), generator=gen).float().contiguous(memory_format=fmt)
            with torch.inference_mode():
                for _ in range(args.warmup):
                    net(x)
                times = []
                cpu0, wall0 = time.process_time(), time.perf_counter()
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    net(x)
                    times.append((time.perf_counter() - t0) * 1000.0 / batch)
                cpu = time.process_time() - cpu0
                cpu_over_wall = cpu / (time.perf_counter() - wall0)
            times.sort()
            results.append({
                "layout": layout, "batch": batch, "runs": args.runs,
                "medianMsPerFace": round(statistics.median(times), 3),
                "p90MsPerFace": round(times[min(len(times) - 1, int(0.9 * len(times)))], 3),
                "minMsPerFace": round(times[0], 3),
                # CPU time is less disturbed by other processes than wall time on a shared machine;
                # cpuOverWall is about 1.0 when the one thread had a core of its own.
                "cpuMsPerFace": round(cpu * 1000.0 / (args.runs * batch), 3),
                "cpuOverWall": round(cpu_over_wall, 2),
            })
            print(f"{layout} batch {batch}: median {results[-1]['medianMsPerFace']} ms/face", file=sys.stderr)
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    print(json.dumps({
        "torch": torch.__version__, "python": platform.python_version(), "threads": torch.get_num_threads(),
        "cpu": cpu_model(), "cpus": os.cpu_count(), "blas": loaded_blas(), "loadAverageBefore": args.load_before,
        "loadAverageAfter": load, "warmup": args.warmup, "results": results,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }))


def loaded_blas():
    """The BLAS library torch loaded: Debian's torch uses the system libblas.so.3 for the convolutions that
    do not go to oneDNN (at batch 1, the layers with small inputs), so reference BLAS vs OpenBLAS matters."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower()}
        return sorted(os.path.realpath(lib) for lib in libs)
    except OSError:
        return []


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", required=True,
                        help="folder with face_recognition_model.bin and face_recognition_model-weights_manifest.json")
    parser.add_argument("--chip", nargs="+", help="150x150 RGB PNG chip(s) to describe")
    parser.add_argument("--compare", nargs="+", help="face-api-descriptor.mjs JSON per chip, to compare with")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--divisor", type=float, default=255.0,
                        help="input scale: 255 as face-api (default), 256 as dlib's C++ input layer")
    parser.add_argument("--trace", action="store_true",
                        help="with --chip: print shape, sum, mean |x| and first values (NHWC order) after every "
                             "stage to stderr, to find the first layer where a port departs")
    parser.add_argument("--bench", action="store_true", help="time the forward pass")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if not args.chip and not args.bench:
        parser.error("give --chip PNG... and/or --bench")
    with open("/proc/loadavg") as f:
        args.load_before = f.read().split()[:3]
    weights, sha = load_weights(args.model_dir)
    print(f"loaded {len(weights)} tensors, weights SHA-256 {sha}", file=sys.stderr)
    model = DlibResNet(weights, divisor=args.divisor).eval()
    if args.chip:
        describe(model, args)
    if args.bench:
        bench(model, args)


if __name__ == "__main__":
    main()
