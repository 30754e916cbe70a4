// The formula box: a text field for f(x, y) with example formulas. As the
// user types, `onFormula(text)` is called (debounced); the app answers with
// `showError(message, column)` or `showOk()`. The spot of an error is
// underlined in a mirror layer behind the field (built from text nodes, never
// HTML), and the message with its column is shown under it; the last valid
// surface keeps running meanwhile.

const DEBOUNCE_MS = 180;

export const EXAMPLES = [
  { name: 'Bowl', formula: 'x^2 + 10*y^2' },
  { name: 'Saddle', formula: 'x^2 - y^2' },
  { name: 'Ripples', formula: 'x^2 + y^2 + 2*sin(3*x)*cos(3*y)' },
  { name: 'Two wells', formula: '(x^2 - 1)^2 + y^2 + 0.3*x' },
  { name: 'Banana', formula: '(1 - x)^2 + 100*(y - x^2)^2' },
  { name: 'Cliff', formula: 'log(1 + exp(4*x)) + y^2' },
  { name: 'Abs valley', formula: 'abs(x) + 0.1*y^2' },
];

export function createFormulaBox({ input, mirror, message, examples }, { onFormula }) {
  let timer = 0;

  examples.replaceChildren(new Option('Examples…', ''), ...EXAMPLES.map((e) => new Option(`${e.name}: ${e.formula}`, e.formula)));
  examples.addEventListener('change', () => {
    if (!examples.value) return;
    input.value = examples.value;
    examples.value = '';
    paintMirror(null);
    onFormula(input.value);
  });

  input.addEventListener('input', () => {
    paintMirror(null);
    clearTimeout(timer);
    timer = setTimeout(() => onFormula(input.value), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      clearTimeout(timer);
      onFormula(input.value);
      event.preventDefault();
    }
  });
  input.addEventListener('scroll', () => {
    mirror.scrollLeft = input.scrollLeft;
  });

  // The field's text in the mirror, with the character at `column` (1-based) marked.
  function paintMirror(column) {
    const text = input.value;
    if (!column) {
      mirror.replaceChildren(document.createTextNode(text));
      return;
    }
    const at = Math.min(column - 1, text.length);
    const mark = document.createElement('mark');
    mark.className = 'formula-mark';
    mark.dataset.testid = 'formula-mark';
    mark.dataset.column = String(column);
    mark.textContent = text.slice(at, at + 1) || ' ';
    mirror.replaceChildren(document.createTextNode(text.slice(0, at)), mark, document.createTextNode(text.slice(at + 1)));
    mirror.scrollLeft = input.scrollLeft;
  }

  return {
    /** Puts a formula in the field (a surface chosen elsewhere, a link). */
    setText(text) {
      if (input.value !== text) input.value = text;
      paintMirror(null);
    },
    showError(text, column) {
      paintMirror(column);
      message.textContent = text;
      message.classList.add('is-error');
      input.setAttribute('aria-invalid', 'true');
    },
    showOk(text) {
      paintMirror(null);
      message.textContent = text;
      message.classList.remove('is-error');
      input.setAttribute('aria-invalid', 'false');
    },
    get text() {
      return input.value;
    },
  };
}

/** The column an error message names (`... at column 7`, maybe with a hint after it), or null. */
export function errorColumn(message) {
  const match = /at column (\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}
