// The renderer's entry. For now it shows the app's frame and version; the desktop-app issue fills it
// with the terminal, the YAML editor and the topology.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppInfo, SupervisorLabBridge } from '../../preload/contract';
import './styles.css';

declare global {
  interface Window {
    supervisorLab?: SupervisorLabBridge;
  }
}

/** In Electron the preload provides the bridge; in browser mode the same contract runs over HTTP. */
function bridge(): SupervisorLabBridge {
  if (window.supervisorLab) return window.supervisorLab;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return {
    info: async () => {
      const res = await fetch('/api/info', { headers: { Authorization: `Bearer ${token}` } });
      if (!res.ok)
        throw new Error(`the lab refused the connection (${res.status}): open the URL the server printed`);
      return (await res.json()) as AppInfo;
    },
  };
}

function App() {
  const [info, setInfo] = useState<AppInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    bridge()
      .info()
      .then(setInfo, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <div className="frame">
      <header className="titlebar">
        <span className="brand">Supervisor Lab</span>
        <span className="version" data-testid="version">
          {info ? `v${info.version}` : ''}
        </span>
      </header>
      <main className="workspace">
        {error ? <p className="error">{error}</p> : null}
        {info ? (
          <>
            <p>
              Lab: <code>{info.lab}</code>
            </p>
            <p>
              Lab time: <code>{info.labTime}</code>
            </p>
            <p className="note">
              The engine is running. The terminal, YAML editor and topology views arrive with the desktop-app
              milestone.
            </p>
          </>
        ) : !error ? (
          <p>Connecting to the lab…</p>
        ) : null}
      </main>
      <footer className="statusbar">vSphere with Tanzu simulator — offline</footer>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
