// The renderer's entry: the app, on the contract (the preload's bridge in Electron, a WebSocket in
// browser mode).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
