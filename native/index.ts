// Entry of the WebAssembly kernels (AssemblyScript, built by native/build.mjs into
// dist/native/kernels.wasm). Memory is imported and shared: the host (wasm-backend.ts) owns every
// byte above heapBase() and passes byte addresses; the kernels never allocate.

export { copyF32, encodeF32, decodeBf16, decodeSubBf16, encodeBf16, decodeF16, encodeF16, decodeF64, encodeF64 } from './convert';
export { countNonFinite16, countNonFinite32, countNonFinite64 } from './non-finite';
export { sub, add, scale, axpy, scaleTo, div } from './elementwise';
export { dotBlocks, gramTwoBlocks, absSumBlocks, absSumEachBlock, keptAbsSumEachBlock } from './reduce';
export { absHistHigh, absHistLow, absWindowCount } from './histogram';
export { randomMask, randomMaskScale } from './random-mask';
export { bandMask } from './band-mask';
export { signElect, consensusMix } from './sign-elect';
export { dellaRows } from './della';
export { populationVariance, keepNonzero, electedWeightedMean } from './sce';
export { nearswap } from './nearswap';

/** First byte the host may use (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
export { signCounts, countKeptRandom } from './diagnostics';
