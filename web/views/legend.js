// The legend: one row per optimizer in the line-up, with its colour (the same
// as its path and chart series), its label with settings, and its status (the
// current loss, "diverged at step k", or why it is unavailable). Rows are
// rebuilt when the line-up changes and updated in place on every frame.

export function createLegend(list) {
  let rows = [];

  function build(entries) {
    list.replaceChildren();
    rows = entries.map((entry) => {
      const item = document.createElement('li');
      item.className = 'legend-item';
      item.dataset.testid = 'legend-item';
      item.style.setProperty('--series', entry.colour);
      const swatch = document.createElement('span');
      swatch.className = 'legend-swatch';
      swatch.setAttribute('aria-hidden', 'true');
      const text = document.createElement('span');
      text.className = 'legend-text';
      const name = document.createElement('span');
      name.className = 'legend-name';
      name.textContent = entry.name;
      const settings = document.createElement('span');
      settings.className = 'legend-settings';
      settings.textContent = entry.settings;
      const status = document.createElement('span');
      status.className = 'legend-status';
      status.dataset.testid = 'legend-status';
      text.append(name, ' ', settings);
      item.append(swatch, text, status);
      if (entry.error) {
        item.classList.add('is-unavailable');
        status.textContent = 'unavailable';
        const reason = document.createElement('span');
        reason.className = 'legend-reason';
        reason.textContent = entry.error;
        item.append(reason);
      }
      list.append(item);
      return { item, status, entry, shown: '' };
    });
  }

  return {
    /** entries: [{ name, settings, colour, error? }] in line-up order. */
    setEntries: build,
    /** statuses: per entry, { text, diverged } or null (unavailable rows keep theirs). */
    update(statuses) {
      statuses.forEach((s, i) => {
        const row = rows[i];
        if (!row || !s || row.shown === s.text) return;
        row.shown = s.text;
        row.status.textContent = s.text;
        row.item.classList.toggle('is-diverged', s.diverged);
      });
    },
  };
}
