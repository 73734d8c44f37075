// electron-vite builds the three Electron bundles: main (engine host), preload (the bridge) and
// renderer (the UI). Browser mode serves the same renderer bundle.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/host/electron/index.ts'),
          // the lab engine, forked as a utility process by the main process
          engine: resolve(__dirname, 'main/host/electron/engineProcess.ts'),
          // the CLI, prebuilt: `npm start` falls back to browser mode with it (no TypeScript at start)
          cli: resolve(__dirname, 'main/host/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // a sandboxed preload can require only electron: zod (the contract's checks) is bundled in
      externalizeDeps: { exclude: ['zod'] },
      // sandboxed preloads must be CommonJS
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    worker: { format: 'es' },
    build: {
      chunkSizeWarningLimit: 8000,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
