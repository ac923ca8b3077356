/**
 * The matmul worker, as JavaScript source evaluated by `new Worker(src, { eval: true })` (Node 20
 * workers cannot load TypeScript, and an inline worker needs no built file beside the .wasm). It
 * instantiates the compiled module over the shared memory it is given and runs `linear` on
 * request, answering each request with its id.
 */
export const MATMUL_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const instance = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } });
const linear = instance.exports.linear;
parentPort.on('message', (m) => {
  try {
    linear(m.x, m.rows, m.w, m.outDim, m.inDim, m.bias, m.y, m.o0, m.o1);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;
