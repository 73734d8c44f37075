// Tasks and events: vCenter tasks (with progress while they run) and Kubernetes events, newest first.
import type { Activity as Item } from '../../../preload/contract';
import { useT } from '../lib/i18n';

export function Activity({ items }: { items?: Item[] }) {
  const t = useT();
  if (!items?.length) return <p className="hint">{t('activity.empty')}</p>;
  return (
    <div className="activity" data-testid="activity">
      <table>
        <thead>
          <tr>
            <th>{t('activity.time')}</th>
            <th>{t('activity.status')}</th>
            <th>{t('activity.target')}</th>
            <th>{t('activity.text')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a, i) => (
            <tr key={i} className={`activity-${a.kind} type-${a.type.toLowerCase()}`}>
              <td className="mono">{a.time.replace('T', ' ').replace('Z', '')}</td>
              <td>
                {a.kind === 'task' ? `${t('activity.task')} · ` : ''}
                {a.type}
                {a.progress !== undefined && <progress max={100} value={a.progress} />}
              </td>
              <td className="mono">{a.target}</td>
              <td>{a.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
