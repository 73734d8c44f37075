// Terminal tabs: each an xterm.js view of a lab shell session in the engine. Sessions outlive the
// window, so a reload lists them and reattaches each with its scrollback.
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { useEngineEvent } from '../lib/useLab';

interface Tab {
  id: string;
  title: string;
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
  host: HTMLDivElement;
  exited: boolean;
}

const themes = {
  dark: { background: '#1b1d23', foreground: '#d8dee9', cursor: '#d8dee9', selectionBackground: '#44506a' },
  light: { background: '#fbfbfd', foreground: '#1f2328', cursor: '#1f2328', selectionBackground: '#b6d3ff' },
};

/** which tab was in front, kept across a reload of the window */
const FRONT_TAB = 'supervisor-lab.terminal';

export interface TerminalsHandle {
  focus(): void;
  newTab(): void;
  /** puts text into the active session as a paste does (a new session when there is none), and focuses it */
  paste(text: string): void;
}

export function Terminals({ theme, handle }: { theme: 'dark' | 'light'; handle: Ref<TerminalsHandle> }) {
  const t = useT();
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string>();
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const area = useRef<HTMLDivElement>(null);
  const byId = useRef(new Map<string, Tab>());
  /** sessions being attached: their output so far comes with the scrollback */
  const attaching = useRef(new Set<string>());

  const makeTab = useCallback(
    (id: string, title: string, scrollback: string, cols: number): Tab => {
      const term = new Terminal({
        // the width the session's output was drawn at, so its scrollback replays as it was shown
        cols,
        cursorBlink: true,
        fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
        fontSize: 13,
        scrollback: 10_000,
        theme: themes[theme],
        allowProposedApi: true,
      });
      const fit = new FitAddon();
      const search = new SearchAddon();
      term.loadAddon(fit);
      term.loadAddon(search);
      term.loadAddon(new WebLinksAddon());
      const host = document.createElement('div');
      host.className = 'xterm-host';
      host.dataset.terminal = id;
      term.onData((data) => void call('terminal.input', { id, data }).catch(() => undefined));
      term.attachCustomKeyEventHandler((e) => {
        if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
        if (e.code === 'KeyC') {
          void navigator.clipboard?.writeText(term.getSelection());
          return false;
        }
        if (e.code === 'KeyV') {
          void navigator.clipboard?.readText().then((text) => term.paste(text));
          return false;
        }
        return true;
      });
      if (scrollback) term.write(scrollback);
      const tab: Tab = { id, title, term, fit, search, host, exited: false };
      byId.current.set(id, tab);
      return tab;
    },
    [theme],
  );

  const attach = useCallback(
    async (id?: string) => {
      const cols = 100;
      if (id) attaching.current.add(id);
      try {
        const r = await call('terminal.open', id ? { id, cols } : { cols });
        const tab = makeTab(r.id, r.title, r.scrollback, r.cols);
        setTabs((ts) => [...ts.filter((x) => x.id !== r.id), tab]);
        setActive(r.id);
        return tab;
      } finally {
        if (id) attaching.current.delete(id);
      }
    },
    [makeTab],
  );

  // on load: reattach every session the engine keeps, or start one
  useEffect(() => {
    let cancelled = false;
    void call('terminal.list', {}).then(async (list) => {
      if (cancelled) return;
      if (list.length === 0) await attach();
      else {
        for (const s of list) await attach(s.id);
        // the tab that was in front before the reload comes to the front again
        const front = sessionStorage.getItem(FRONT_TAB);
        if (front && byId.current.has(front)) setActive(front);
      }
    });
    return () => {
      cancelled = true;
      for (const tab of byId.current.values()) tab.term.dispose();
      byId.current.clear();
    };
  }, []);

  useEngineEvent((e) => {
    if (e.type === 'terminal.output') {
      if (attaching.current.has(e.id)) return;
      byId.current.get(e.id)?.term.write(e.data);
    } else if (e.type === 'terminal.exit') {
      const tab = byId.current.get(e.id);
      if (tab) {
        tab.exited = true;
        tab.term.write(`\r\n${t('terminal.exited')}\r\n`);
      }
    }
  });

  useEffect(() => {
    for (const tab of byId.current.values()) tab.term.options.theme = themes[theme];
  }, [theme]);

  useEffect(() => {
    if (active) sessionStorage.setItem(FRONT_TAB, active);
  }, [active]);

  // mount the active terminal's element and fit it to the pane
  const fitActive = useCallback(() => {
    const tab = active ? byId.current.get(active) : undefined;
    if (!tab || !area.current) return;
    if (tab.host.parentElement !== area.current) {
      area.current.replaceChildren(tab.host);
      if (!tab.term.element) tab.term.open(tab.host);
    } else if (area.current.firstChild !== tab.host) area.current.replaceChildren(tab.host);
    try {
      tab.fit.fit();
    } catch {
      return;
    }
    if (!tab.exited)
      void call('terminal.resize', { id: tab.id, cols: Math.max(10, tab.term.cols) }).catch(() => undefined);
  }, [active]);
  useEffect(() => {
    fitActive();
    const el = area.current;
    if (!el) return;
    const ro = new ResizeObserver(() => fitActive());
    ro.observe(el);
    return () => ro.disconnect();
  }, [fitActive, tabs]);

  const close = (id: string) => {
    const tab = byId.current.get(id);
    if (!tab) return;
    if (!tab.exited) void call('terminal.close', { id }).catch(() => undefined);
    tab.term.dispose();
    byId.current.delete(id);
    setTabs((ts) => {
      const rest = ts.filter((x) => x.id !== id);
      if (active === id) setActive(rest.at(-1)?.id);
      return rest;
    });
  };

  useImperativeHandle(handle, () => ({
    focus: () => (active ? byId.current.get(active)?.term.focus() : undefined),
    newTab: () => void attach().then((tab) => setTimeout(() => tab.term.focus(), 50)),
    paste: (text) => {
      const tab = active ? byId.current.get(active) : undefined;
      const into = (x: Tab) => {
        x.term.paste(text);
        setTimeout(() => x.term.focus(), 0);
      };
      if (tab && !tab.exited) into(tab);
      else void attach().then(into);
    },
  }));

  const current = active ? byId.current.get(active) : undefined;
  return (
    <div className="terminals">
      <div className="tabbar" role="tablist">
        {tabs.map((tab) => (
          <span
            key={tab.id}
            className={`tab ${tab.id === active ? 'active' : ''}`}
            role="tab"
            aria-selected={tab.id === active}
          >
            <button className="tab-label" onClick={() => setActive(tab.id)}>
              {tab.title}
            </button>
            <button
              className="tab-close"
              onClick={() => close(tab.id)}
              title={t('terminal.close')}
              aria-label={t('terminal.close')}
            >
              ×
            </button>
          </span>
        ))}
        <button
          className="tab-new"
          onClick={() => void attach()}
          title={t('terminal.new')}
          aria-label={t('terminal.new')}
          data-testid="terminal-new"
        >
          +
        </button>
        <span className="spacer" />
        <button onClick={() => void navigator.clipboard?.writeText(current?.term.getSelection() ?? '')}>
          {t('terminal.copy')}
        </button>
        <button
          onClick={() => void navigator.clipboard?.readText().then((text) => current?.term.paste(text))}
        >
          {t('terminal.paste')}
        </button>
        <button
          onClick={() => setSearching((s) => !s)}
          title={t('terminal.search')}
          aria-label={t('terminal.search')}
        >
          {t('terminal.search')}
        </button>
        {searching && (
          <input
            className="search"
            autoFocus
            placeholder={t('terminal.search')}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              current?.search.findNext(e.target.value, { incremental: true });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) current?.search.findPrevious(query);
              else if (e.key === 'Enter') current?.search.findNext(query);
              if (e.key === 'Escape') setSearching(false);
            }}
          />
        )}
      </div>
      <div className="terminal-area" ref={area} data-testid="terminal" />
    </div>
  );
}
