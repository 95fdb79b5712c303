#!/usr/bin/env node
// Reference descriptor of dlib's face-recognition ResNet as published by @vladmandic/face-api 1.7.15,
// computed with the pure-JavaScript TF.js CPU backend bundled in dist/face-api.esm.js (no tfjs-node
// native binaries, no WASM, no network). See tools/reference/README.md for the setup.
//
// usage: node tools/reference/face-api-descriptor.mjs --node-modules DIR [--model-dir DIR]
//          [--tarball FILE.tgz [--expect-sha256 HEX]] [--chip-origin TEXT] [--out FILE.json | --out-dir DIR]
//          CHIP.png [CHIP.png ...]
//
//   --node-modules DIR  folder holding @vladmandic/face-api (1.7.15) and pngjs, installed by hand
//                       (default: $FACE_API_NODE_MODULES)
//   --model-dir DIR     folder with face_recognition_model.bin and its weights manifest
//                       (default: <node-modules>/@vladmandic/face-api/model)
//   --tarball FILE      the npm tarball the package came from; its SHA-256 is recorded (and checked
//                       against --expect-sha256 when given)
//   --out FILE          write the JSON of the single chip to FILE
//   --out-dir DIR       write <chip basename>.json per chip into DIR
//   --chip-origin TEXT  how the chip was made, recorded as "chipOrigin"
//   otherwise one JSON object per chip is printed per line on stdout.
//
// Every chip must be a 150x150 PNG (RGB, or RGBA with opaque alpha): the network's input size, so that
// face-api's toBatchTensor does not resize it (the script checks that no ResizeBilinear kernel ran).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import util from 'node:util';

const PACKAGE = '@vladmandic/face-api';
const VERSION = '1.7.15';
const CHIP = 150;

function parseArgs(argv) {
  const opts = { chips: [], nodeModules: process.env.FACE_API_NODE_MODULES };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--node-modules') opts.nodeModules = next();
    else if (a === '--model-dir') opts.modelDir = next();
    else if (a === '--tarball') opts.tarball = next();
    else if (a === '--expect-sha256') opts.expectSha256 = next().toLowerCase();
    else if (a === '--out') opts.out = next();
    else if (a === '--out-dir') opts.outDir = next();
    else if (a === '--chip-origin') opts.chipOrigin = next();
    else if (a === '--help' || a === '-h') opts.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.chips.push(a);
  }
  return opts;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

// The esm bundle is built for browsers: its Node platform class calls require('util'), which the bundler
// replaced by an empty stub, so importing it under Node throws "this.util.TextEncoder is not a
// constructor". Hiding process.versions.node while the module initialises makes TF.js skip that platform;
// a minimal platform is then registered by hand, whose fetch refuses (nothing may be downloaded).
async function importFaceApi(faceApiDir) {
  const saved = Object.getOwnPropertyDescriptor(process, 'versions');
  Object.defineProperty(process, 'versions', {
    value: { ...process.versions, node: undefined }, configurable: true, writable: true, enumerable: true,
  });
  let faceapi;
  try {
    faceapi = await import(pathToFileURL(path.join(faceApiDir, 'dist', 'face-api.esm.js')).href);
  } finally {
    Object.defineProperty(process, 'versions', saved);
  }
  // face-api's own environment (Canvas, fetch, readFile) was not set up either: set it up now, as Node,
  // with a fetch that refuses.
  faceapi.env.initialize();
  faceapi.env.monkeyPatch({ fetch: (url) => { throw new Error(`network access refused (${url})`); } });
  const { tf } = faceapi;
  tf.env().setPlatform('node-pure-js', {
    fetch: (url) => { throw new Error(`network access refused (${url})`); },
    now: () => performance.now(),
    encode: (text, encoding) => new util.TextEncoder(encoding).encode(text),
    decode: (bytes, encoding) => new util.TextDecoder(encoding).decode(bytes),
    isTypedArray: (a) => util.types.isFloat32Array(a) || util.types.isInt32Array(a)
      || util.types.isUint8Array(a) || util.types.isUint8ClampedArray(a),
  });
  if (!(await tf.setBackend('cpu'))) throw new Error('TF.js CPU backend did not initialise');
  await tf.ready();
  return faceapi;
}

function loadNet(faceapi, modelDir) {
  const { tf } = faceapi;
  const manifestFile = path.join(modelDir, 'face_recognition_model-weights_manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const specs = [];
  const buffers = [];
  for (const group of manifest) {
    for (const p of group.paths) buffers.push(readFileSync(path.join(modelDir, p)));
    specs.push(...group.weights);
  }
  const all = Buffer.concat(buffers);
  // decodeWeights dequantises uint8 entries as byte * scale + min, exactly as loadFromUri/loadFromDisk do.
  const weightMap = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.length), specs);
  const net = new faceapi.FaceRecognitionNet();
  net.loadFromWeightMap(weightMap);
  return {
    net,
    weightsSha256: createHash('sha256').update(all).digest('hex'),
    manifestSha256: sha256(manifestFile),
    tensors: specs.length,
  };
}

function readChip(PNG, file) {
  let png;
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch (e) {
    throw new Error(`${file}: not a readable PNG (${e.message})`);
  }
  if (png.width !== CHIP || png.height !== CHIP) {
    throw new Error(`${file}: ${png.width}x${png.height}, expected ${CHIP}x${CHIP} (no resizing is done)`);
  }
  const rgb = new Int32Array(CHIP * CHIP * 3);
  for (let i = 0; i < CHIP * CHIP; i++) {
    if (png.data[4 * i + 3] !== 255) throw new Error(`${file}: transparent pixel ${i}; give an opaque RGB chip`);
    rgb[3 * i] = png.data[4 * i];
    rgb[3 * i + 1] = png.data[4 * i + 1];
    rgb[3 * i + 2] = png.data[4 * i + 2];
  }
  return rgb;
}

async function describe(faceapi, net, rgb) {
  const { tf } = faceapi;
  const input = tf.tensor3d(rgb, [CHIP, CHIP, 3], 'int32');
  let descriptor;
  const profile = await tf.profile(async () => {
    descriptor = await net.computeFaceDescriptor(input);
  });
  input.dispose();
  if (profile.kernelNames.some((k) => k.startsWith('Resize'))) {
    throw new Error(`the input was resized (kernels: ${profile.kernelNames.join(', ')})`);
  }
  return { descriptor: Array.from(descriptor), kernels: profile.kernelNames };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help || opts.chips.length === 0 || !opts.nodeModules) {
    console.error('usage: node face-api-descriptor.mjs --node-modules DIR [--model-dir DIR] [--tarball FILE.tgz '
      + '[--expect-sha256 HEX]] [--chip-origin TEXT] [--out FILE.json | --out-dir DIR] CHIP.png [CHIP.png ...]');
    process.exit(opts.help ? 0 : 2);
  }
  if (opts.out && opts.chips.length !== 1) throw new Error('--out takes a single chip; use --out-dir');
  const faceApiDir = path.join(opts.nodeModules, ...PACKAGE.split('/'));
  const pkg = JSON.parse(readFileSync(path.join(faceApiDir, 'package.json'), 'utf8'));
  if (pkg.name !== PACKAGE || pkg.version !== VERSION) {
    throw new Error(`${faceApiDir} holds ${pkg.name}@${pkg.version}, expected ${PACKAGE}@${VERSION}`);
  }
  let tarballSha256 = null;
  if (opts.tarball) {
    tarballSha256 = sha256(opts.tarball);
    if (opts.expectSha256 && opts.expectSha256 !== tarballSha256) {
      throw new Error(`${opts.tarball}: SHA-256 ${tarballSha256}, expected ${opts.expectSha256}`);
    }
  }
  const { PNG } = createRequire(path.join(path.resolve(opts.nodeModules), 'noop.js'))('pngjs');
  const faceapi = await importFaceApi(faceApiDir);
  const modelDir = opts.modelDir ?? path.join(faceApiDir, 'model');
  const { net, weightsSha256, manifestSha256, tensors } = loadNet(faceapi, modelDir);

  if (opts.outDir) mkdirSync(opts.outDir, { recursive: true });
  for (const chip of opts.chips) {
    const { descriptor, kernels } = await describe(faceapi, net, readChip(PNG, chip));
    const norm = Math.sqrt(descriptor.reduce((s, v) => s + v * v, 0));
    const result = {
      chip: path.basename(chip),
      chipSha256: sha256(chip),
      ...(opts.chipOrigin ? { chipOrigin: opts.chipOrigin } : {}),
      descriptor,
      l2Norm: norm,
      source: {
        package: PACKAGE,
        version: pkg.version,
        tarballSha256,
        weights: 'model/face_recognition_model.bin',
        weightsSha256,
        manifestSha256,
        tensors,
      },
      runtime: {
        node: process.versions.node,
        tfjs: faceapi.tf.version_core,
        backend: faceapi.tf.getBackend(),
        call: 'faceRecognitionNet.computeFaceDescriptor(int32 tensor [150,150,3]); no resize, no L2 normalisation',
        preprocessing: '(rgb - [122.782, 117.001, 104.298]) / 255',
        kernels,
      },
    };
    const json = JSON.stringify(result, null, 1);
    if (opts.out) writeFileSync(opts.out, `${json}\n`);
    else if (opts.outDir) writeFileSync(path.join(opts.outDir, `${path.basename(chip, '.png')}.json`), `${json}\n`);
    else console.log(JSON.stringify(result));
    console.error(`${chip}: |d| = ${norm.toFixed(6)}, d[0..3] = ${descriptor.slice(0, 4).map((v) => v.toFixed(6)).join(' ')}`);
  }
}

main().catch((e) => {
  console.error(`face-api-descriptor: ${e.message}`);
  process.exit(1);
});
