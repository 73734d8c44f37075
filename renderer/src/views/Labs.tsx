// The labs panel: the catalogue of guided labs with the learner's progress (kept in the lab database),
// and a lab's step view — its Markdown, the step's checks (checked on request and automatically as the
// lab changes), hints one at a time, the reference solution as commands to paste into the terminal,
// start/reset to the lab's starting scenario, and resuming where the learner stopped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabCard, LabStepResult, LabView } from '../../../preload/labsContract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { Markdown, inline } from '../lib/markdown';
import { useEngineEvent } from '../lib/useLab';
import { Exam } from './Exam';
import './labs.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function ProgressBar({ done, total }: { done: number; total: number }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <div className="lab-bar" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}

function Catalogue({
  cards,
  resume,
  onOpen,
  onExam,
}: {
  cards?: LabCard[];
  resume?: { lab: string; step: number; finished: boolean } | null;
  onOpen(id: string, step?: number): void;
  onExam(): void;
}) {
  const t = useT();
  const resumed = resume ? cards?.find((c) => c.id === resume.lab) : undefined;
  return (
    <div className="labs-catalogue" data-testid="labs-catalogue">
      <h3>{t('labs.title')}</h3>
      {resume && resumed && !resume.finished && (
        <button
          className="primary lab-resume"
          data-testid="lab-resume"
          onClick={() => onOpen(resume.lab, resume.step)}
        >
          {t('labs.resume', { title: resumed.title, step: resume.step })}
        </button>
      )}
      {!cards && <p className="hint">{t('app.connecting')}</p>}
      <ol className="lab-cards">
        {cards?.map((c) => {
          const done = c.progress?.completed.length ?? 0;
          return (
            <li key={c.id}>
              <button
                className="lab-card"
                data-testid="lab-card"
                data-lab={c.id}
                onClick={() => onOpen(c.id)}
              >
                <span className="lab-card-title">
                  <span className="lab-order">{c.order}</span> {c.title}
                </span>
                <span className="lab-card-meta muted">
                  {t(`labs.level.${c.level}`)} · {t('labs.minutes', { minutes: c.minutes })} ·{' '}
                  {t('labs.steps', { count: c.steps })}
                </span>
                <span className="lab-card-status" data-testid="lab-card-status">
                  {c.progress?.finishedAt !== undefined
                    ? `✓ ${t('labs.completed')}`
                    : c.progress
                      ? t('labs.progress', { done, total: c.steps })
                      : t('labs.notStarted')}
                </span>
                {c.progress && <ProgressBar done={done} total={c.steps} />}
              </button>
            </li>
          );
        })}
      </ol>
      {cards && (
        <button className="lab-card exam-card" data-testid="exam-card" onClick={onExam}>
          <span className="lab-card-title">{t('exam.title')}</span>
          <span className="lab-card-meta muted">{t('exam.card')}</span>
        </button>
      )}
    </div>
  );
}

interface HintState {
  list: string[];
  shown: number;
}

function StepView({
  lab,
  onBack,
  onPaste,
  initialStep,
  onChanged,
}: {
  lab: LabView;
  onBack(): void;
  onPaste(text: string): void;
  initialStep?: number;
  onChanged(v: LabView): void;
}) {
  const t = useT();
  const total = lab.steps;
  const started = !!lab.progress;
  const current = Math.min((lab.progress?.currentStep ?? 0) + 1, total);
  const [step, setStep] = useState(() => Math.min(Math.max(initialStep ?? current, 1), total));
  const [results, setResults] = useState<Record<number, LabStepResult>>({});
  const [manual, setManual] = useState<Record<number, boolean>>({});
  const [hints, setHints] = useState<Record<number, HintState>>({});
  const [solutions, setSolutions] = useState<Record<number, string[]>>({});
  const [pasted, setPasted] = useState<string>();
  const [busy, setBusy] = useState<'start' | 'check'>();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string>();
  /** moves each time the lab is started or reset: the step is looked at afresh */
  const [generation, setGeneration] = useState(0);
  const body = useRef<HTMLDivElement>(null);

  const record = useCallback(
    (r: LabStepResult) => {
      setResults((rs) => ({ ...rs, [r.step]: r }));
      if (r.progress) onChanged({ ...lab, progress: r.progress });
    },
    [lab, onChanged],
  );

  // automatic checking: the engine checks the current step as the lab changes and says when it differs
  useEffect(() => {
    void call('labs.watch', { lab: lab.id }).catch(() => undefined);
    return () => void call('labs.watch', { lab: null }).catch(() => undefined);
  }, [lab.id]);
  useEngineEvent((e) => {
    if (e.type === 'labs.checked' && e.result.labId === lab.id) record(e.result);
  });
  // what the step looks like now, when it is opened
  useEffect(() => {
    if (!started) return;
    let live = true;
    call('labs.check', { lab: lab.id, step }).then(
      (r) => live && record(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [lab.id, step, started, generation]);
  useEffect(() => {
    // a block: scrollTo returns a promise in newer Chromium, which React would take for a cleanup
    body.current?.scrollTo({ top: 0 });
  }, [step]);

  const start = async () => {
    setConfirm(false);
    setBusy('start');
    setError(undefined);
    try {
      const v = await call('labs.start', { lab: lab.id });
      setResults({});
      setManual({});
      setHints({});
      setSolutions({});
      setStep(1);
      setGeneration((g) => g + 1);
      onChanged(v);
    } catch (e) {
      setError(t('labs.startFailed', { error: message(e) }));
    } finally {
      setBusy(undefined);
    }
  };

  const check = async () => {
    setBusy('check');
    setError(undefined);
    try {
      record(await call('labs.check', { lab: lab.id, step }));
      setManual((m) => ({ ...m, [step]: true }));
    } catch (e) {
      setError(t('labs.error', { error: message(e) }));
    } finally {
      setBusy(undefined);
    }
  };

  const showHint = async () => {
    try {
      const list = await call('labs.hints', { lab: lab.id, step });
      setHints((h) => ({ ...h, [step]: { list, shown: Math.min((h[step]?.shown ?? 0) + 1, list.length) } }));
    } catch (e) {
      setError(t('labs.error', { error: message(e) }));
    }
  };

  const reveal = async () => {
    try {
      const commands = await call('labs.solution', { lab: lab.id, step });
      setSolutions((s) => ({ ...s, [step]: commands }));
    } catch (e) {
      setError(t('labs.error', { error: message(e) }));
    }
  };

  const s = lab.stepList[step - 1]!;
  const result = results[step];
  const done = lab.progress?.completed.includes(s.id) ?? false;
  const passed = result ? result.passed : done;
  const hint = hints[step];
  const solution = solutions[step];
  const doneCount = lab.progress?.completed.length ?? 0;
  // the introduction's own title repeats the lab's, shown above it
  const intro = lab.intro.replace(/^\s*#\s+(.*)\n/, (line, title: string) =>
    title.trim() === lab.title ? '' : line,
  );

  return (
    <div className="lab-view" data-testid="lab-view" data-lab={lab.id}>
      <div className="lab-head">
        <button className="link" onClick={onBack} data-testid="lab-back">
          ← {t('labs.back')}
        </button>
        <h3 data-testid="lab-title">
          <span className="lab-order">{lab.order}</span> {lab.title}
        </h3>
        <div className="muted">
          {t(`labs.level.${lab.level}`)} · {t('labs.minutes', { minutes: lab.minutes })}
        </div>
        {started && (
          <div className="lab-progress" data-testid="lab-progress">
            <ProgressBar done={doneCount} total={total} />
            <span>
              {lab.progress?.finishedAt !== undefined
                ? `✓ ${t('labs.completed')}`
                : t('labs.progress', { done: doneCount, total })}
            </span>
          </div>
        )}
      </div>
      <div className="lab-body" ref={body}>
        {!started ? (
          <>
            <Markdown text={intro} />
            <p className="muted">{t('labs.startHelp')}</p>
            <ol className="lab-outline">
              {lab.stepList.map((x) => (
                <li key={x.id}>{inline(x.title)}</li>
              ))}
            </ol>
            <button
              className="primary"
              onClick={() => void start()}
              disabled={!!busy}
              data-testid="lab-start"
            >
              {busy === 'start' ? t('labs.starting') : t('labs.start')}
            </button>
          </>
        ) : (
          <>
            <nav className="lab-steps" aria-label={t('labs.step', { n: step, total })}>
              {lab.stepList.map((x, i) => {
                const isDone = lab.progress?.completed.includes(x.id);
                return (
                  <button
                    key={x.id}
                    className={`lab-pill ${i + 1 === step ? 'on' : ''} ${isDone ? 'done' : ''}`}
                    onClick={() => setStep(i + 1)}
                    title={`${t('labs.stepN', { n: i + 1, title: x.title })}${isDone ? ` (${t('labs.doneStep')})` : i + 1 === current ? ` (${t('labs.current')})` : ''}`}
                    aria-current={i + 1 === step ? 'step' : undefined}
                    data-testid="lab-step-pill"
                  >
                    {isDone ? '✓' : i + 1}
                  </button>
                );
              })}
            </nav>
            {step === 1 && lab.intro.trim() && (
              <details className="lab-intro">
                <summary>{t('labs.intro')}</summary>
                <Markdown text={intro} />
              </details>
            )}
            <div className="muted lab-step-no">{t('labs.step', { n: step, total })}</div>
            <h4 className="lab-step-title" data-testid="lab-step-title">
              {inline(s.title)}
            </h4>
            <div data-testid="lab-step-text">
              <Markdown text={s.text} />
            </div>

            <section className="lab-section">
              <h5>{t('labs.checks')}</h5>
              <ul className="lab-checks" data-testid="lab-checks">
                {s.checks.map((c) => {
                  const r = result?.checks.find((x) => x.id === c.id);
                  const state = r ? (r.passed ? 'passed' : 'failed') : 'unknown';
                  return (
                    <li key={c.id} className={state} data-check={c.id} data-state={state}>
                      <span className="mark" aria-hidden>
                        {state === 'passed' ? '✓' : state === 'failed' ? '✗' : '•'}
                      </span>
                      <span>
                        {inline(c.description)}
                        {r && !r.passed && manual[step] && (
                          <span className="found muted">{t('labs.found', { found: r.found })}</span>
                        )}
                      </span>
                    </li>
                  );
                })}
              </ul>
              <div className="lab-actions">
                <button
                  className="primary"
                  onClick={() => void check()}
                  disabled={!!busy}
                  data-testid="lab-check"
                >
                  {busy === 'check' ? t('labs.checking') : t('labs.check')}
                </button>
                <span className="muted small">{t('labs.auto')}</span>
              </div>
              {(result || done) && (
                <div
                  className={`lab-result ${passed ? 'ok' : 'failed'}`}
                  data-testid="lab-result"
                  data-passed={passed}
                  role="status"
                >
                  <strong>{passed ? `✓ ${t('labs.passed')}` : t('labs.notYet')}</strong>
                  {!passed && manual[step] && result?.hint && (
                    <div className="lab-hint">
                      <span className="label">{t('labs.hint')}:</span> {inline(result.hint)}
                    </div>
                  )}
                </div>
              )}
            </section>

            <section className="lab-section">
              {s.hints === 0 ? (
                <p className="muted small">{t('labs.noHints')}</p>
              ) : (
                <>
                  {hint && hint.shown > 0 && (
                    <ol className="lab-hints" data-testid="lab-hints">
                      {hint.list.slice(0, hint.shown).map((h, i) => (
                        <li key={i}>
                          <span className="label">{t('labs.hintN', { n: i + 1 })}:</span> {inline(h)}
                        </li>
                      ))}
                    </ol>
                  )}
                  {(hint?.shown ?? 0) < s.hints && (
                    <button onClick={() => void showHint()} data-testid="lab-hint-button">
                      {hint?.shown ? t('labs.moreHint') : t('labs.showHint')} ({hint?.shown ?? 0}/{s.hints})
                    </button>
                  )}
                </>
              )}
            </section>

            <section className="lab-section">
              {!solution ? (
                <button onClick={() => void reveal()} data-testid="lab-solution-button">
                  {t('labs.solution')}
                </button>
              ) : (
                <div className="lab-solution" data-testid="lab-solution">
                  <p className="muted small">{t('labs.solutionHelp')}</p>
                  {solution.map((cmd, i) => (
                    <div className="lab-command" key={i}>
                      <pre className="code">
                        <code>{cmd}</code>
                      </pre>
                      <button
                        onClick={() => {
                          onPaste(cmd);
                          setPasted(`${step}/${i}`);
                        }}
                        data-testid="lab-paste"
                        title={t('labs.paste')}
                      >
                        {pasted === `${step}/${i}` ? `✓ ${t('labs.pasted')}` : t('labs.paste')}
                      </button>
                    </div>
                  ))}
                </div>
              )}
            </section>

            {lab.progress?.finishedAt !== undefined && (
              <p className="lab-done" data-testid="lab-done">
                ✓ {t('labs.done')}
              </p>
            )}
          </>
        )}
        {error && (
          <p className="lab-error" role="alert">
            {error}
          </p>
        )}
      </div>
      {started && (
        <div className="lab-foot">
          <button onClick={() => setStep(step - 1)} disabled={step <= 1} data-testid="lab-prev">
            {t('labs.prev')}
          </button>
          <button
            className={passed && step < total ? 'primary' : ''}
            onClick={() => setStep(step + 1)}
            disabled={step >= total}
            data-testid="lab-next"
          >
            {t('labs.next')}
          </button>
          <span className="spacer" />
          {confirm ? (
            <span className="lab-confirm" role="alertdialog" aria-label={t('labs.resetConfirm')}>
              <span className="small">{t('labs.resetConfirm')}</span>
              <button className="danger" onClick={() => void start()} data-testid="lab-reset-yes">
                {t('labs.resetYes')}
              </button>
              <button onClick={() => setConfirm(false)}>{t('labs.cancel')}</button>
            </span>
          ) : (
            <button onClick={() => setConfirm(true)} disabled={!!busy} data-testid="lab-reset">
              {busy === 'start' ? t('labs.starting') : t('labs.reset')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** The panel: the catalogue, or one lab's steps. Opens on the lab the learner last worked on. */
export function Labs({ tick, onPaste }: { tick: number; onPaste(text: string): void }) {
  const [cards, setCards] = useState<LabCard[]>();
  const [resume, setResume] = useState<{ lab: string; step: number; finished: boolean } | null>();
  const [open, setOpen] = useState<{ view: LabView; step?: number }>();
  const [exam, setExam] = useState(false);
  const [error, setError] = useState<string>();
  const t = useT();

  const openLab = useCallback((id: string, step?: number) => {
    call('labs.get', { lab: id }).then(
      (view) => {
        // the catalogue's progress is read afresh when the learner comes back to it
        setCards(undefined);
        setOpen({ view, ...(step ? { step } : {}) });
      },
      (e: unknown) => setError(message(e)),
    );
  }, []);

  // resume where the learner stopped: the lab last worked on, at the step they are on
  useEffect(() => {
    void call('labs.resume', {}).then(
      (r) => {
        setResume(r);
        // a finished lab leaves the catalogue in front, to choose the next one
        if (r && !r.finished) openLab(r.lab, r.step);
      },
      (e: unknown) => setError(message(e)),
    );
  }, [openLab]);

  useEffect(() => {
    if (open || exam) return;
    let live = true;
    call('labs.list', {}).then(
      (c) => live && setCards(c),
      (e: unknown) => live && setError(message(e)),
    );
    void call('labs.resume', {}).then(
      (r) => live && setResume(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [open, exam, tick]);

  const changed = useCallback((view: LabView) => setOpen((o) => (o ? { ...o, view } : o)), []);

  return (
    <div className="labs" data-testid="labs">
      {error && <p className="lab-error">{t('labs.error', { error })}</p>}
      {open ? (
        <StepView
          key={open.view.id}
          lab={open.view}
          initialStep={open.step}
          onBack={() => setOpen(undefined)}
          onPaste={onPaste}
          onChanged={changed}
        />
      ) : exam ? (
        <Exam onBack={() => setExam(false)} />
      ) : (
        <Catalogue cards={cards} resume={resume} onOpen={openLab} onExam={() => setExam(true)} />
      )}
    </div>
  );
}
