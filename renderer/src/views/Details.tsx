// The details pane: what describe (kubectl describe, lab explain, govc namespace.info) prints for the
// selected object, or the output of the last action. A pod or TKC is watched through the API as the
// signed-in user, and described again when it changes; the rest follow the lab's changes.
import { useEffect, useRef, useState } from 'react';
import type { CommandResult } from '../../../preload/contract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { useEngineEvent } from '../lib/useLab';
import type { Selection } from './Topology';

const watched: Record<string, string> = { pod: 'pods', tkc: 'tanzukubernetesclusters.run.tanzu.vmware.com' };

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
  const [version, setVersion] = useState(0);
  const watch = useRef<string | undefined>(undefined);
  const key = JSON.stringify(selection ?? null);
  const resource = selection && selection.kind !== 'result' ? watched[selection.kind] : undefined;

  // a watched object: its own changes drive the description
  useEffect(() => {
    if (!selection || selection.kind === 'result' || !resource) return;
    let live = true;
    void call('objects.watch', {
      resource,
      name: selection.name,
      ...(selection.namespace ? { namespace: selection.namespace } : {}),
    }).then(
      (r) => {
        if (live) watch.current = r.watch;
        else void call('objects.unwatch', { watch: r.watch });
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (watch.current) void call('objects.unwatch', { watch: watch.current }).catch(() => undefined);
      watch.current = undefined;
    };
  }, [key, resource]);
  useEngineEvent((e) => {
    if (e.type === 'objects.event' && e.watch === watch.current && e.event !== 'BOOKMARK')
      setVersion((v) => v + 1);
  });

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
  }, [key, resource ? version : selection?.kind === 'result' ? 0 : tick]);
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
