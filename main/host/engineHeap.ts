// The engine's heap policy. V8 sizes the next full collection from what is live after the last, by a
// factor it picks between 1.1 and 4 from how fast the program allocates against how fast it collects.
// The engine allocates fast (every write parses, validates and serialises objects), so V8 picks the top
// of that range: at the tkc benchmark's 100,000 pods, 460 MB live grew to a 2 GB process before each
// collection. Holding the factor at 1.5 keeps the process near what is live, for about the same time
// spent collecting (the marking runs beside the engine). Every host of the engine calls this first:
// Electron's engine process, the CLI, and the benchmarks, which measure the engine as the app runs it.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function tuneEngineHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
