// The YAML editor: workspace files (the ones the shell's ls and cat see), the registry's schema with
// live values for validation and completion, templates, Save, Dry run and Apply (kubectl apply through
// the API, its output shown), and edits the terminal asked for (`edit FILE`, `kubectl edit`).
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { CommandResult, EditorTemplate } from '../../../preload/contract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { monaco, setSchema } from '../lib/monaco';
import { useEngineEvent } from '../lib/useLab';

export interface EditorHandle {
  open(path: string): void;
  save(): void;
  apply(): void;
}

const SCHEMA_EVERY_MS = 2000;

interface TerminalEdit {
  request: string;
  name: string;
}

export function Editor(props: {
  theme: 'dark' | 'light';
  tick: number;
  handle: Ref<EditorHandle>;
  onShow(): void;
  onTerminalDone(): void;
  onFilesChanged(): void;
}) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  const [path, setPath] = useState<string>();
  const [dirty, setDirty] = useState(false);
  const [result, setResult] = useState<CommandResult & { dryRun: boolean }>();
  const [busy, setBusy] = useState(false);
  const [templates, setTemplates] = useState<EditorTemplate[]>([]);
  const [edit, setEdit] = useState<TerminalEdit>();
  const lastSchema = useRef(0);

  useEffect(() => {
    if (!host.current) return;
    const e = monaco.editor.create(host.current, {
      language: 'yaml',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      tabSize: 2,
      scrollBeyondLastLine: false,
      quickSuggestions: { other: true, comments: false, strings: true },
      theme: props.theme === 'dark' ? 'vs-dark' : 'vs',
      model: null,
    });
    editor.current = e;
    return () => {
      e.getModel()?.dispose();
      e.dispose();
    };
    // created once; the theme follows below
  }, []);

  useEffect(() => monaco.editor.setTheme(props.theme === 'dark' ? 'vs-dark' : 'vs'), [props.theme]);

  // the schema and templates follow the lab (VM classes, storage classes, TKrs come and go): fetched
  // at most every few seconds, and once more after the last change
  const refresh = useRef<number | undefined>(undefined);
  const fetchNow = useCallback(() => {
    lastSchema.current = Date.now();
    window.clearTimeout(refresh.current);
    refresh.current = undefined;
    void call('editor.schema', {}).then((r) => setSchema(r.schema));
    void call('editor.templates', {}).then(setTemplates);
  }, []);
  useEffect(() => {
    const wait = lastSchema.current + SCHEMA_EVERY_MS - Date.now();
    if (wait <= 0) fetchNow();
    else if (refresh.current === undefined) refresh.current = window.setTimeout(fetchNow, wait);
  }, [props.tick, fetchNow]);
  useEffect(() => () => window.clearTimeout(refresh.current), []);

  const load = useCallback((name: string, text: string) => {
    const e = editor.current;
    if (!e) return;
    const uri = monaco.Uri.parse(`file:///workspace${name.startsWith('/') ? name : `/${name}`}`);
    monaco.editor.getModel(uri)?.dispose();
    e.getModel()?.dispose();
    const model = monaco.editor.createModel(text, 'yaml', uri);
    model.onDidChangeContent(() => setDirty(true));
    e.setModel(model);
    setDirty(false);
  }, []);

  const open = useCallback(
    (p: string) => {
      void call('files.read', { path: p }).then((r) => {
        setEdit(undefined);
        setPath(p);
        setResult(undefined);
        load(p, r.text);
        props.onShow();
      });
    },
    [load, props],
  );

  const text = () => editor.current?.getValue() ?? '';

  const save = useCallback(async () => {
    if (!path) return;
    await call('files.write', { path, text: text() });
    setDirty(false);
    props.onFilesChanged();
  }, [path, props]);

  const apply = useCallback(
    async (dryRun: boolean) => {
      if (!path) return;
      setBusy(true);
      try {
        const r = await call('editor.apply', { path, text: text(), dryRun });
        setResult({ ...r, dryRun });
        setDirty(false);
        props.onFilesChanged();
      } catch (e) {
        setResult({ command: '', status: 1, output: e instanceof Error ? e.message : String(e), dryRun });
      } finally {
        setBusy(false);
      }
    },
    [path, props],
  );

  useImperativeHandle(props.handle, () => ({
    open,
    save: () => void save(),
    apply: () => void apply(false),
  }));

  useEngineEvent((e) => {
    if (e.type === 'editor.open') {
      setEdit({ request: e.request, name: e.name });
      setPath(undefined);
      setResult(undefined);
      load(`/.edit/${e.name.split('/').pop() || 'file'}`, e.text);
      props.onShow();
    } else if (e.type === 'editor.cancel' && edit?.request === e.request) {
      setEdit(undefined);
      editor.current?.setModel(null);
    }
  });

  const finishEdit = async (saved: boolean) => {
    if (!edit) return;
    await call('editor.done', { request: edit.request, text: saved ? text() : null });
    setEdit(undefined);
    editor.current?.getModel()?.dispose();
    editor.current?.setModel(null);
    props.onTerminalDone();
  };

  const fromTemplate = (id: string) => {
    const tpl = templates.find((x) => x.id === id);
    if (!tpl) return;
    setEdit(undefined);
    setPath(tpl.file);
    setResult(undefined);
    load(tpl.file, tpl.text);
    setDirty(true);
    // the live values as they are now, for what is typed next
    fetchNow();
  };

  return (
    <div className="editor">
      <div className="toolbar">
        <select
          aria-label={t('editor.new')}
          data-testid="template-select"
          value=""
          onChange={(e) => fromTemplate(e.target.value)}
        >
          <option value="">{t('editor.new')}…</option>
          {templates.map((tpl) => (
            <option key={tpl.id} value={tpl.id}>
              {tpl.title}
            </option>
          ))}
        </select>
        {edit ? (
          <>
            <span className="filename" data-testid="editor-file">
              {t('editor.editing', { name: edit.name })}
            </span>
            <button className="primary" onClick={() => void finishEdit(true)} data-testid="edit-save">
              {t('editor.saveBack')}
            </button>
            <button onClick={() => void finishEdit(false)}>{t('editor.cancelEdit')}</button>
          </>
        ) : (
          <>
            <label className="filename">
              {t('editor.file')}{' '}
              <input
                data-testid="editor-path"
                value={path ?? ''}
                onChange={(e) => setPath(e.target.value)}
                placeholder="/manifest.yaml"
              />
              {dirty && <em> ({t('editor.unsaved')})</em>}
            </label>
            <button onClick={() => void save()} disabled={!path} title={`${t('shortcuts.save')} (Ctrl+S)`}>
              {t('editor.save')}
            </button>
            <button onClick={() => void apply(true)} disabled={!path || busy} data-testid="editor-dry-run">
              {t('editor.dryRun')}
            </button>
            <button
              className="primary"
              onClick={() => void apply(false)}
              disabled={!path || busy}
              data-testid="editor-apply"
              title={`${t('shortcuts.apply')} (Ctrl+Enter)`}
            >
              {t('editor.apply')}
            </button>
          </>
        )}
      </div>
      {!path && !edit && <p className="hint">{t('editor.noFile')}</p>}
      <div className="monaco-host" ref={host} data-testid="monaco" />
      {result && (
        <div className={`result ${result.status === 0 ? 'ok' : 'failed'}`} data-testid="editor-result">
          <strong>
            {t('editor.result')} {result.dryRun ? `(${t('editor.dryRun')})` : ''}
          </strong>
          <pre>{result.output}</pre>
        </div>
      )}
    </div>
  );
}
