// The app's layout, like an IDE: a side bar (inventory, files, administration), the topology and the
// YAML editor in the middle, terminals and tasks/events below, details on the right, the status bar
// at the bottom. Panes resize; keyboard shortcuts and themes as listed in the shortcuts dialog.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { I18n, initialLanguage, languages, translator, type Language, type MessageKey } from './lib/i18n';
import { Split } from './lib/Split';
import { useLabTick, useQuery } from './lib/useLab';
import { onConnectionChange } from './lib/bridge';
import { StatusBar } from './views/StatusBar';
import { Terminals, type TerminalsHandle } from './views/Terminals';
import type { EditorHandle } from './views/Editor';
import { Topology, type Selection } from './views/Topology';
import { Inventory } from './views/Inventory';
import { Files } from './views/Files';
import { Activity } from './views/Activity';
import { Admin } from './views/Admin';
import { Labs } from './views/Labs';
import { Details } from './views/Details';

// Monaco is most of the bundle: it loads after the first paint, so the terminal is usable sooner
const Editor = lazy(() => import('./views/Editor').then((m) => ({ default: m.Editor })));

type Theme = 'dark' | 'light';
type Side = 'inventory' | 'files' | 'admin' | 'labs';
type Center = 'topology' | 'editor';
type Bottom = 'terminal' | 'activity';

const shortcuts: [string, MessageKey][] = [
  ['Ctrl+`', 'shortcuts.terminal'],
  ['Ctrl+Shift+`', 'shortcuts.newTerminal'],
  ['Ctrl+1', 'shortcuts.topology'],
  ['Ctrl+2', 'shortcuts.editor'],
  ['Ctrl+S', 'shortcuts.save'],
  ['Ctrl+Enter', 'shortcuts.apply'],
  ['Ctrl+B', 'shortcuts.sidebar'],
  ['Ctrl+J', 'shortcuts.panel'],
  ['Ctrl+Shift+L', 'shortcuts.theme'],
];

const stored = <T extends string>(key: string, values: T[], fallback: T): T => {
  const v = localStorage.getItem(`supervisor-lab.${key}`) as T | null;
  return v && values.includes(v) ? v : fallback;
};

export function App() {
  const [lang, setLang] = useState<Language>(initialLanguage);
  const [theme, setTheme] = useState<Theme>(() =>
    stored(
      'theme',
      ['dark', 'light'],
      matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark',
    ),
  );
  const [side, setSide] = useState<Side>('inventory');
  const [center, setCenter] = useState<Center>('topology');
  const [bottom, setBottom] = useState<Bottom>('terminal');
  const [showSide, setShowSide] = useState(true);
  const [showBottom, setShowBottom] = useState(true);
  const [selection, setSelection] = useState<Selection>();
  const [help, setHelp] = useState(false);
  const [online, setOnline] = useState(true);
  useEffect(() => onConnectionChange(setOnline), []);
  const [filesTick, setFilesTick] = useState(0);
  const terminals = useRef<TerminalsHandle>(null);
  const editor = useRef<EditorHandle>(null);
  const t = translator(lang);
  // lab time alone moves the status bar; views of objects follow object changes
  const tick = useLabTick();
  const objects = useLabTick(300, 'objects');
  const { data: status, error } = useQuery('status', {}, tick);
  const { data: topology } = useQuery('view.topology', {}, objects, center === 'topology');
  const { data: inventory } = useQuery('view.inventory', {}, objects, showSide && side === 'inventory');
  const { data: files } = useQuery('files.list', {}, objects + filesTick, showSide && side === 'files');
  const { data: activity } = useQuery('view.activity', {}, objects, showBottom && bottom === 'activity');

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('supervisor-lab.theme', theme);
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem('supervisor-lab.lang', lang);
    document.title = t('app.title');
  }, [lang]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      const k = e.key.toLowerCase();
      const act = (f: () => void) => {
        e.preventDefault();
        e.stopPropagation();
        f();
      };
      if (e.code === 'Backquote' && e.shiftKey)
        act(() => {
          setShowBottom(true);
          setBottom('terminal');
          terminals.current?.newTab();
        });
      else if (e.code === 'Backquote')
        act(() => {
          setShowBottom(true);
          setBottom('terminal');
          setTimeout(() => terminals.current?.focus(), 0);
        });
      else if (k === '1' && !e.shiftKey) act(() => setCenter('topology'));
      else if (k === '2' && !e.shiftKey) act(() => setCenter('editor'));
      else if (k === 's' && !e.shiftKey) act(() => editor.current?.save());
      else if (k === 'enter' && center === 'editor') act(() => editor.current?.apply());
      else if (k === 'b' && !e.shiftKey) act(() => setShowSide((v) => !v));
      else if (k === 'j' && !e.shiftKey) act(() => setShowBottom((v) => !v));
      else if (k === 'l' && e.shiftKey) act(() => setTheme((v) => (v === 'dark' ? 'light' : 'dark')));
      else if (k === '/') act(() => setHelp((v) => !v));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [center]);

  const tab = <T extends string>(
    value: T,
    current: T,
    set: (v: T) => void,
    label: string,
    testid?: string,
  ) => (
    <button
      role="tab"
      aria-selected={value === current}
      className={`tab ${value === current ? 'active' : ''}`}
      onClick={() => set(value)}
      data-testid={testid}
    >
      {label}
    </button>
  );

  const select = (s: Selection) => setSelection(s);

  const sidebar = (
    <div className="sidebar">
      <div className="tabbar" role="tablist">
        {tab('inventory', side, setSide, t('side.inventory'), 'side-inventory')}
        {tab('files', side, setSide, t('side.files'), 'side-files')}
        {tab('admin', side, setSide, t('side.admin'), 'side-admin')}
        {tab('labs', side, setSide, t('side.labs'), 'side-labs')}
      </div>
      <div className="scroll">
        {side === 'inventory' && <Inventory tree={inventory} onSelect={select} />}
        {side === 'files' && (
          <Files
            files={files}
            onRefresh={() => setFilesTick((x) => x + 1)}
            onOpen={(p) => {
              setCenter('editor');
              editor.current?.open(p);
            }}
          />
        )}
        {side === 'admin' && <Admin tick={objects} />}
        {side === 'labs' && (
          <Labs
            tick={objects}
            onPaste={(text) => {
              setShowBottom(true);
              setBottom('terminal');
              terminals.current?.paste(text);
            }}
          />
        )}
      </div>
    </div>
  );

  const middle = (
    <div className="center">
      <div className="tabbar" role="tablist">
        {tab('topology', center, setCenter, t('center.topology'), 'center-topology')}
        {tab('editor', center, setCenter, t('center.editor'), 'center-editor')}
      </div>
      <div className="center-body">
        <div className="view" hidden={center !== 'topology'}>
          <Topology model={topology} theme={theme} onSelect={select} />
        </div>
        <div className="view" hidden={center !== 'editor'}>
          <Suspense fallback={<p className="hint">{t('app.connecting')}</p>}>
            <Editor
              theme={theme}
              tick={objects}
              handle={editor}
              onShow={() => setCenter('editor')}
              onTerminalDone={() => terminals.current?.focus()}
              onFilesChanged={() => setFilesTick((x) => x + 1)}
            />
          </Suspense>
        </div>
      </div>
    </div>
  );

  const panel = (
    <div className="panel">
      <div className="tabbar" role="tablist">
        {tab('terminal', bottom, setBottom, t('bottom.terminal'), 'bottom-terminal')}
        {tab('activity', bottom, setBottom, t('bottom.activity'), 'bottom-activity')}
      </div>
      <div className="panel-body">
        <div className="view" hidden={bottom !== 'terminal'}>
          <Terminals theme={theme} handle={terminals} />
        </div>
        <div className="view scroll" hidden={bottom !== 'activity'}>
          <Activity items={activity} />
        </div>
      </div>
    </div>
  );

  return (
    <I18n.Provider value={t}>
      <div className="frame">
        <header className="titlebar">
          <span className="brand">{t('app.title')}</span>
          <span className={online ? 'muted' : 'offline'} role="status" data-testid="connection">
            {!online ? t('app.offline') : status?.clock ? '' : error ? error : t('app.connecting')}
          </span>
          <span className="spacer" />
          <label>
            {t('menu.language')}{' '}
            <select value={lang} onChange={(e) => setLang(e.target.value as Language)} data-testid="language">
              {Object.entries(languages).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.name}
                </option>
              ))}
            </select>
          </label>
          <button
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            data-testid="theme"
            title={t('menu.theme')}
          >
            {theme === 'dark' ? t('menu.theme.light') : t('menu.theme.dark')}
          </button>
          <button onClick={() => setHelp(true)} title={t('menu.shortcuts')} aria-label={t('menu.shortcuts')}>
            {t('menu.shortcuts')}
          </button>
        </header>
        <div className="main">
          <Split id="side" direction="row" initial={320} hidden={showSide ? undefined : 'first'}>
            {sidebar}
            <Split
              id="details"
              direction="row"
              initial={380}
              sized="second"
              hidden={selection ? undefined : 'second'}
            >
              <Split
                id="bottom"
                direction="column"
                initial={300}
                sized="second"
                hidden={showBottom ? undefined : 'second'}
              >
                {middle}
                {panel}
              </Split>
              <Details selection={selection} tick={objects} onClose={() => setSelection(undefined)} />
            </Split>
          </Split>
        </div>
        <StatusBar status={status} />
        {help && (
          <div className="dialog-backdrop" onClick={() => setHelp(false)}>
            <div
              className="dialog"
              role="dialog"
              aria-label={t('shortcuts.title')}
              onClick={(e) => e.stopPropagation()}
            >
              <h3>{t('shortcuts.title')}</h3>
              <table>
                <tbody>
                  {shortcuts.map(([keys, what]) => (
                    <tr key={keys}>
                      <td>
                        <kbd>{keys}</kbd>
                      </td>
                      <td>{t(what)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button onClick={() => setHelp(false)}>{t('shortcuts.close')}</button>
            </div>
          </div>
        )}
      </div>
    </I18n.Provider>
  );
}
