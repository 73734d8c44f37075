// The status bar: lab time with pause, 1×, 10×, 60× (and stepping), who is signed in and where, the
// Supervisor's state.
import type { LabStatus } from '../../../preload/contract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';

export function StatusBar({ status }: { status?: LabStatus }) {
  const t = useT();
  const clock = status?.clock;
  const speed = clock && clock.mode === 'realtime' && !clock.paused ? clock.speed : 0;
  const set = (input: Parameters<typeof call<'lab.clock'>>[1]) => void call('lab.clock', input);
  const time = clock ? clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '…';
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="status-item" title={t('status.clock')} data-testid="lab-clock">
        {time}
      </span>
      <span className="clock-controls" role="group" aria-label={t('status.clock')}>
        <button
          className={clock?.paused ? 'on' : ''}
          onClick={() => set({ pause: !clock?.paused })}
          title={clock?.paused ? t('status.resume') : t('status.pause')}
        >
          {clock?.paused ? t('status.resume') : t('status.pause')}
        </button>
        {([1, 10, 60] as const).map((s) => (
          <button key={s} className={speed === s ? 'on' : ''} onClick={() => set({ speed: s })}>
            {s}×
          </button>
        ))}
        <button className={clock?.mode === 'stepped' ? 'on' : ''} onClick={() => set({ stepped: true })}>
          {t('status.stepped')}
        </button>
        <button onClick={() => set({ advanceMs: 60_000 })} data-testid="step-1m">
          +1m
        </button>
        <button onClick={() => set({ advanceMs: 300_000 })} data-testid="step-5m" title={t('status.step5')}>
          +5m
        </button>
      </span>
      <span className="status-item" title={t('status.user')} data-testid="status-user">
        {status?.user || t('status.signedOut')}
      </span>
      <span className="status-item" title={t('status.context')} data-testid="status-context">
        {status?.context || '—'}
        {status?.namespace && status.namespace !== 'default' ? ` / ${status.namespace}` : ''}
      </span>
      <span className="status-item spacer" />
      <span className="status-item" data-testid="status-supervisor">
        {t('status.supervisor')}:{' '}
        {status?.supervisor
          ? `${status.supervisor.phase} (${status.supervisor.cluster})`
          : t('status.noSupervisor')}
      </span>
    </footer>
  );
}
