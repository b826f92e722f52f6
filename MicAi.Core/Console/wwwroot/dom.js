// Builds elements without HTML strings: text is always text (nothing from the API is parsed as markup).
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false)
    el.append(child instanceof Node ? child : String(child));
  return el;
}

let fieldIds = 0;

/** A labelled form field: the label names the control for screen readers and for the tests. */
export function field(label, control, hint) {
  control.id ||= `field-${++fieldIds}`;
  const parts = [h('label', { for: control.id, text: label }), control];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { id: hintId, class: 'hint', text: hint }));
  }
  return h('div', { class: 'field' }, parts);
}

export function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, headers.map(name => h('th', { scope: 'col', text: name })))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: String(headers.length), class: 'empty', text: 'Nothing here.' })))));
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: iso, text: d.toLocaleString() });
}

export function age(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A button that asks again in place (no browser dialog): the first press shows Confirm and Cancel. */
export function confirmButton(label, question, action) {
  const wrap = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', text: label });
  const ask = h('span', { class: 'ask', hidden: true, role: 'group', 'aria-label': question },
    h('span', { text: question }), ' ');
  const yes = h('button', { type: 'button', class: 'danger', text: `Confirm: ${label.toLowerCase()}` });
  const no = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
  ask.append(yes, ' ', no);
  start.addEventListener('click', () => { start.hidden = true; ask.hidden = false; yes.focus(); });
  no.addEventListener('click', () => { ask.hidden = true; start.hidden = false; start.focus(); });
  yes.addEventListener('click', async () => { yes.disabled = true; try { await action(); } finally { yes.disabled = false; } });
  wrap.append(start, ask);
  return wrap;
}

/** A list read page by page (limit/offset): load() starts again, the More button appends the next page. */
export function pagedList(fetchPage, render, showError) {
  const results = h('div');
  const more = h('button', { type: 'button', class: 'secondary', text: 'More', hidden: true });
  let offset = 0;
  let rows = [];
  async function load(reset = true) {
    try {
      if (reset) { offset = 0; rows = []; }
      const page = await fetchPage(offset);
      rows.push(...page.items);
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
      results.replaceChildren(render(rows, load));
    } catch (error) { showError(error.describe()); }
  }
  more.addEventListener('click', () => load(false));
  return { results, more, load };
}
