// The terminal dock at the bottom of the window. The panel mounts the first time the dock opens
// and stays mounted (hidden when closed), so its shell session survives view changes. Anything
// that asks to run a command in the terminal opens the dock (the 'kartstream:open-terminal'
// event from terminal-bus.ts); Ctrl+` toggles it from the keyboard.
import { useEffect, useState } from 'react';
import { TerminalPanel } from '../terminal/TerminalPanel.tsx';

export const TerminalDock = ({ lab }: { lab: string | undefined }) => {
  const [open, setOpen] = useState(false);
  const [mounted, setMounted] = useState(false);

  useEffect(() => {
    const show = () => {
      setOpen(true);
      setMounted(true);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.key === '`') {
        e.preventDefault();
        setOpen((was) => !was);
        setMounted(true);
      }
    };
    window.addEventListener('kartstream:open-terminal', show);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('kartstream:open-terminal', show);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <section className={`terminal-dock${open ? ' open' : ''}`} aria-label="Terminal">
      <div className="dock-bar">
        <button
          type="button"
          className="button dock-toggle"
          data-testid="terminal-toggle"
          aria-expanded={open}
          aria-controls="terminal-dock-body"
          onClick={() => {
            setOpen(!open);
            setMounted(true);
          }}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'} </span>
          Terminal{lab ? ` — ${lab}` : ''}
        </button>
        <span className="muted small">Ctrl+` toggles · kubectl is set up for the lab</span>
      </div>
      <div id="terminal-dock-body" className="dock-body" hidden={!open}>
        {mounted && lab && <TerminalPanel key={lab} lab={lab} />}
        {mounted && !lab && (
          <p className="placeholder">Create a lab first: the terminal opens inside a lab.</p>
        )}
      </div>
    </section>
  );
};
