// The details pane: what describe (kubectl describe, lab explain, govc namespace.info) prints for the
// selected object, or the output of the last action.
import { useEffect, useState } from 'react';
import type { CommandResult } from '../../../preload/contract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import type { Selection } from './Topology';

export function Details({
  selection,
  tick,
  onClose,
}: {
  selection?: Selection;
  tick: number;
  onClose(): void;
}) {
  const t = useT();
  const [result, setResult] = useState<CommandResult>();
  const key = JSON.stringify(selection ?? null);
  useEffect(() => {
    if (!selection) return setResult(undefined);
    if (selection.kind === 'result') return setResult(selection.result);
    let live = true;
    void call('lab.describe', {
      what: selection.kind,
      name: selection.name,
      ...(selection.namespace ? { namespace: selection.namespace } : {}),
    }).then((r) => live && setResult(r));
    return () => {
      live = false;
    };
    // describe again as the lab changes, unless this is an action's output
  }, [key, selection?.kind === 'result' ? 0 : tick]);
  return (
    <aside className="details" data-testid="details">
      <div className="toolbar">
        <strong>{t('details.title')}</strong>
        <span className="spacer" />
        <button onClick={onClose} aria-label={t('details.close')} title={t('details.close')}>
          ×
        </button>
      </div>
      {result ? (
        <pre className={result.status === 0 ? '' : 'failed'}>{result.output}</pre>
      ) : (
        <p className="hint">{t('details.empty')}</p>
      )}
    </aside>
  );
}
