// The engine's heap policy, for every process that runs the engine: Electron's engine process, the CLI
// (browser mode, `npm run lab`) and the benchmarks, which measure the engine as the app runs it.
//
// - A young generation of up to 64 MB a half (V8's default is 16): a batch of writes keeps its objects
//   alive for a few thousand writes, which outlived a 16 MB half, so they were copied to the old generation
//   to die there. At the tkc benchmark's 100,000 pods, runs took 55-65 s with 16, 50-55 s with 64 and
//   46-48 s with 128; 128 took the pods benchmark (10,000 vSphere Pods) from 880 MB to 1,040 MB, over
//   its 1 GB. It must be given when the process starts (ENGINE_NODE_FLAGS): V8 sizes it once.
// - Old-generation growth held to 1.5x what is live. V8 picks the factor between 1.1 and 4 from how fast
//   the program allocates against how fast it collects; the engine allocates fast, so V8 picked the top
//   of that range and 460 MB live grew to a 2 GB process before each collection (now about 1.1-1.4 GB,
//   for the same time: the marking runs beside the engine). tuneEngineHeap() sets it once running.
import { setFlagsFromString } from 'node:v8';

/** Node options for a process that runs the engine (also accepted in NODE_OPTIONS). */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

export const HEAP_GROWING_PERCENT = 50;

export function tuneEngineHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
