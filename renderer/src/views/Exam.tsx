// Exam mode in the labs panel: a timed attempt at tasks drawn from the exam pool, on an environment
// prepared afresh; no hints, no solutions; the score and a per-task report when the learner finishes
// (or at the first look after the time is up); and the history of attempts.
import { useCallback, useEffect, useState } from 'react';
import type { ExamAttemptView, ExamStatus } from '../../../preload/labsContract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { Markdown, inline } from '../lib/markdown';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const clock = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function Report({ attempt }: { attempt: ExamAttemptView }) {
  const t = useT();
  const report = attempt.report;
  return (
    <div className="exam-report" data-testid="exam-report">
      <p className="exam-score">
        <strong data-testid="exam-score">
          {t('exam.score', { score: attempt.score ?? 0, max: attempt.maxScore ?? 0 })}
        </strong>
        {report?.overtime && <span className="exam-overtime"> · {t('exam.overtime')}</span>}
      </p>
      <ol className="exam-tasks">
        {report?.tasks.map((task) => (
          <li key={task.id} data-task={task.id}>
            <div className="exam-task-head">
              <strong>{inline(task.title)}</strong>
              <span className={task.scored === task.points ? 'ok' : 'bad'}>
                {t('exam.points', { scored: task.scored, points: task.points })}
              </span>
            </div>
            <ul className="lab-checks">
              {task.checks.map((c) => (
                <li key={c.id} className={c.passed ? 'passed' : 'failed'}>
                  <span className="mark" aria-hidden>
                    {c.passed ? '✓' : '✗'}
                  </span>
                  <span>
                    {inline(c.description)}
                    {!c.passed && <span className="found muted">{t('labs.found', { found: c.found })}</span>}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function Exam({ onBack }: { onBack(): void }) {
  const t = useT();
  const [status, setStatus] = useState<ExamStatus>();
  const [finished, setFinished] = useState<ExamAttemptView>();
  const [busy, setBusy] = useState<'start' | 'finish'>();
  const [confirm, setConfirm] = useState<'start' | 'finish'>();
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(() => Date.now());
  const [fetchedAt, setFetchedAt] = useState(() => Date.now());

  const load = useCallback(() => {
    call('exam.status', {}).then(
      (s) => {
        setStatus(s);
        const at = Date.now();
        setFetchedAt(at);
        setNow(at);
      },
      (e: unknown) => setError(message(e)),
    );
  }, []);
  useEffect(load, [load]);

  const current = status?.current;
  // the countdown: wall time, as the exam's; the engine grades an attempt whose time is up when asked
  const left = current ? current.remainingMs - (now - fetchedAt) : 0;
  useEffect(() => {
    if (!current) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [current]);
  useEffect(() => {
    if (current && left <= 0) load();
  }, [current, left <= 0]);

  const start = async () => {
    setConfirm(undefined);
    setBusy('start');
    setError(undefined);
    setFinished(undefined);
    try {
      await call('exam.start', {});
      load();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(undefined);
    }
  };
  const finish = async () => {
    setConfirm(undefined);
    setBusy('finish');
    setError(undefined);
    try {
      setFinished(await call('exam.finish', {}));
      load();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(undefined);
    }
  };

  const exam = status?.exam;
  const last = finished ?? (!current ? status?.history[0] : undefined);
  return (
    <div className="lab-view exam" data-testid="exam">
      <div className="lab-head">
        <button className="link" onClick={onBack} data-testid="lab-back">
          ← {t('labs.back')}
        </button>
        <h3>{exam ? exam.title : t('exam.title')}</h3>
        {exam && (
          <div className="muted">
            {t('exam.about', { tasks: exam.tasks, pool: exam.pool, minutes: exam.minutes })}
          </div>
        )}
        {current && (
          <div
            className={`exam-clock ${left < 5 * 60_000 ? 'short' : ''}`}
            data-testid="exam-clock"
            role="timer"
          >
            {t('exam.left', { time: clock(left) })}
          </div>
        )}
      </div>
      <div className="lab-body">
        {!status && <p className="muted">{t('app.connecting')}</p>}
        {status && !exam && <p className="muted">{t('exam.none')}</p>}
        {exam && !current && (
          <>
            <p className="muted">{t('exam.help')}</p>
            {confirm === 'start' ? (
              <div className="lab-confirm">
                <span className="small">{t('exam.startConfirm')}</span>
                <button className="primary" onClick={() => void start()} data-testid="exam-start-yes">
                  {t('exam.start')}
                </button>
                <button onClick={() => setConfirm(undefined)}>{t('labs.cancel')}</button>
              </div>
            ) : (
              <button
                className="primary"
                onClick={() => setConfirm('start')}
                disabled={!!busy}
                data-testid="exam-start"
              >
                {busy === 'start' ? t('labs.starting') : t('exam.start')}
              </button>
            )}
          </>
        )}
        {current && (
          <ol className="exam-tasks" data-testid="exam-tasks">
            {current.tasks.map((task) => (
              <li key={task.id} data-task={task.id}>
                <div className="exam-task-head">
                  <strong>{inline(task.title)}</strong>
                  <span className="muted">{t('exam.taskPoints', { points: task.points })}</span>
                </div>
                <Markdown text={task.text} />
              </li>
            ))}
          </ol>
        )}
        {last?.report && (
          <section className="lab-section">
            <h5>{t('exam.result')}</h5>
            <Report attempt={last} />
          </section>
        )}
        {!!status?.history.length && (
          <section className="lab-section">
            <h5>{t('exam.history')}</h5>
            <table className="exam-history" data-testid="exam-history">
              <tbody>
                {status.history.map((a) => (
                  <tr key={a.id}>
                    <td>
                      {new Date(a.startedAt).toLocaleString(document.documentElement.lang || undefined)}
                    </td>
                    <td>
                      {a.finishedAt === undefined
                        ? t('exam.underWay')
                        : t('exam.score', { score: a.score ?? 0, max: a.maxScore ?? 0 })}
                      {a.report?.overtime ? ` · ${t('exam.overtime')}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        {error && (
          <p className="lab-error" role="alert">
            {t('labs.error', { error })}
          </p>
        )}
      </div>
      {current && (
        <div className="lab-foot">
          {confirm === 'finish' ? (
            <span className="lab-confirm">
              <span className="small">{t('exam.finishConfirm')}</span>
              <button className="primary" onClick={() => void finish()} data-testid="exam-finish-yes">
                {t('exam.finish')}
              </button>
              <button onClick={() => setConfirm(undefined)}>{t('labs.cancel')}</button>
            </span>
          ) : (
            <button
              className="primary"
              onClick={() => setConfirm('finish')}
              disabled={!!busy}
              data-testid="exam-finish"
            >
              {busy === 'finish' ? t('labs.checking') : t('exam.finish')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
