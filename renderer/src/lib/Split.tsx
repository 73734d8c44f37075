// A resizable split: two panes and a handle between them; the size is kept per split in localStorage.
import { useCallback, useRef, useState, type ReactNode } from 'react';

export function Split(props: {
  id: string;
  direction: 'row' | 'column';
  initial: number;
  min?: number;
  /** which pane the size belongs to */
  sized?: 'first' | 'second';
  hidden?: 'first' | 'second';
  children: [ReactNode, ReactNode];
}) {
  const key = `supervisor-lab.split.${props.id}`;
  const [size, setSize] = useState(() => Number(localStorage.getItem(key)) || props.initial);
  const box = useRef<HTMLDivElement>(null);
  const sized = props.sized ?? 'first';
  const min = props.min ?? 120;
  const onPointerDown = useCallback(
    (e: React.PointerEvent) => {
      e.preventDefault();
      const el = box.current;
      if (!el) return;
      (e.target as HTMLElement).setPointerCapture(e.pointerId);
      const rect = el.getBoundingClientRect();
      const move = (ev: PointerEvent) => {
        const total = props.direction === 'row' ? rect.width : rect.height;
        const at = props.direction === 'row' ? ev.clientX - rect.left : ev.clientY - rect.top;
        const next = Math.max(min, Math.min(total - min, sized === 'first' ? at : total - at));
        setSize(next);
        localStorage.setItem(key, String(Math.round(next)));
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        window.dispatchEvent(new Event('resize'));
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [props.direction, key, min, sized],
  );
  const fixed = { flex: `0 0 ${size}px`, minWidth: 0, minHeight: 0 };
  const grow = { flex: '1 1 0', minWidth: 0, minHeight: 0 };
  const [a, b] = props.children;
  return (
    <div ref={box} className={`split split-${props.direction}`}>
      {props.hidden !== 'first' && (
        <div className="pane" style={sized === 'first' && !props.hidden ? fixed : grow}>
          {a}
        </div>
      )}
      {!props.hidden && (
        <div
          className="split-handle"
          role="separator"
          aria-orientation={props.direction === 'row' ? 'vertical' : 'horizontal'}
          onPointerDown={onPointerDown}
        />
      )}
      {props.hidden !== 'second' && (
        <div className="pane" style={sized === 'second' && !props.hidden ? fixed : grow}>
          {b}
        </div>
      )}
    </div>
  );
}
