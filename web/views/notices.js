// Messages for the user: errors from the engine (a rejected setting, an
// unknown surface) and warnings, shown as dismissible notes instead of being
// thrown. The same message is shown once. `showFatal` replaces the page's
// working area when the engine cannot run at all.

export function createNotices(container) {
  const shown = new Map(); // text -> element

  function dismiss(text) {
    shown.get(text)?.remove();
    shown.delete(text);
  }

  return {
    /** kind: 'error' | 'warning' | 'info'. */
    show(text, kind = 'error') {
      if (shown.has(text)) return;
      const note = document.createElement('div');
      note.className = `notice notice-${kind}`;
      note.dataset.testid = 'notice';
      note.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      const message = document.createElement('p');
      message.className = 'notice-text';
      message.textContent = text;
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'notice-close';
      close.setAttribute('aria-label', 'Dismiss message');
      close.textContent = '×';
      close.addEventListener('click', () => dismiss(text));
      note.append(message, close);
      container.append(note);
      shown.set(text, note);
    },
    dismiss,
    clear() {
      for (const text of [...shown.keys()]) dismiss(text);
    },
    /** Texts currently shown. */
    messages: () => [...shown.keys()],
  };
}

/** Shows an error that stops the page (the engine failed to load). */
export function showFatal(element, title, detail) {
  const heading = document.createElement('p');
  heading.className = 'fatal-title';
  heading.textContent = title;
  const body = document.createElement('p');
  body.className = 'fatal-detail';
  body.textContent = detail;
  element.replaceChildren(heading, body);
  element.hidden = false;
}
