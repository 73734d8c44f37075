// monaco-yaml's worker, bundled by Vite as a worker of its own.
import 'monaco-yaml/yaml.worker.js';
