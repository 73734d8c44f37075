// The workspace's files — the same ones the shell's ls and cat see. A click opens one in the editor.
import { useT } from '../lib/i18n';

export function Files(props: {
  files?: { path: string; dir: boolean }[];
  onOpen(path: string): void;
  onRefresh(): void;
}) {
  const t = useT();
  const files = (props.files ?? []).filter((f) => !f.dir && !f.path.startsWith('/.'));
  return (
    <div className="files" data-testid="files">
      <div className="toolbar">
        <button onClick={props.onRefresh}>{t('files.refresh')}</button>
      </div>
      {files.length === 0 && <p className="hint">{t('files.empty')}</p>}
      <ul>
        {files.map((f) => (
          <li key={f.path}>
            <button className="file" onClick={() => props.onOpen(f.path)}>
              {f.path}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
