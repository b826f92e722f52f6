import { admin, get } from './api.js';
import { h, time } from './dom.js';
import { replyBox } from './reply-box.js';

const Ticks = { sent: '✓', delivered: '✓✓', read: '✓✓' };
const keyOf = m => `${m.direction}:${m.id}`;

function content(m) {
  if (m.kind === 'template') return `template ${m.template_name ?? m.text ?? ''}`;
  if (m.kind === 'text') return m.text ?? '';
  return `[${m.kind}]${m.text ? ` ${m.text}` : ''}`;
}

// Outbound: ticks for sent/delivered/read, Meta's error for a failure, else the ledger status (pending, unknown …).
// Inbound: its status, why it was not answered, and who answered it.
function delivery(m) {
  if (m.direction === 'inbound')
    return [h('span', { text: m.status }), m.reason ? h('span', { text: ` — ${m.reason}` }) : null,
      m.answered_by ? h('span', { text: ` · answered by ${m.answered_by}` }) : null];
  if (m.status === 'failed')
    return h('span', { class: 'error', text: `failed: ${m.error_title ?? 'no reason given'}${m.error_code ? ` (${m.error_code})` : ''}` });
  if (m.status in Ticks) return h('span', { class: `ticks ${m.status}`, role: 'img', 'aria-label': m.status, title: m.status, text: Ticks[m.status] });
  return h('span', { text: m.status });
}

function message(m) {
  const by = m.direction === 'inbound' ? 'customer' : m.author ?? 'MicAi';
  return h('li', { class: `msg ${m.direction}`, 'data-direction': m.direction, 'data-author': by, 'data-status': m.status, 'data-id': m.id },
    h('p', { class: 'msg-text', text: content(m) }),
    h('p', { class: 'msg-meta' }, h('span', { class: 'msg-author', text: by }), ' · ', time(m.at), ' · ', delivery(m)));
}

function handoverControl(contact, waId, changed, showError) {
  const active = Boolean(contact.handover?.active);
  const until = contact.handover?.until;
  return h('div', { class: 'row handover-control' },
    h('p', { class: 'hint', role: 'status' }, active
      ? ['A person is answering: the bot sends nothing ', until ? ['until ', time(until)] : 'until released', '.']
      : 'The bot answers this contact.'),
    h('button', {
      type: 'button', class: 'secondary', 'aria-pressed': String(active), text: active ? 'Hand back to the bot' : 'Take over from the bot',
      onclick: async () => {
        try { await admin('PUT', `/contacts/${encodeURIComponent(waId)}/handover`, { active: !active }); await changed();
          document.querySelector('.handover-control button')?.focus(); } // the rebuilt toggle keeps the keyboard's place
        catch (error) { showError(error.describe()); }
      },
    }));
}

/** One contact's thread: the timeline (oldest at the top, "Older" pages back), the handover toggle and the reply box. */
export async function thread(pane, waId, showError, onChanged) {
  const path = `/contacts/${encodeURIComponent(waId)}`;
  const head = h('div', { class: 'stack' });
  const list = h('ol', { class: 'timeline plain', role: 'log', 'aria-label': 'Messages, oldest first' });
  const older = h('button', { type: 'button', class: 'secondary', text: 'Older', hidden: true });
  const reply = h('div');
  const items = new Map();
  let before = null;
  let shown = null; // the handover and window the header was built for
  let replyWindow = null; // the window the reply box was built for

  function render() {
    const sorted = [...items.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.direction.localeCompare(b.direction));
    list.replaceChildren(...(sorted.length ? sorted.map(message) : [h('li', { class: 'hint', text: 'No messages yet.' })]));
  }

  async function readPage(cursor) {
    const page = await get(`${path}/messages?limit=50${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
    for (const m of page.items) items.set(keyOf(m), m); // a newer read of the same message replaces it (its ticks moved)
    render();
    return page;
  }

  // The header is rebuilt when forced or when the handover or window moved, the reply box only when the window
  // opened or closed, so neither a poll nor a send eats a half-typed reply or the send's status.
  async function loadContact(force = true) {
    const contact = await get(path);
    const state = JSON.stringify([contact.handover, contact.window_open]);
    if (force || state !== shown)
      head.replaceChildren(
        h('a', { href: '#conversations', class: 'back', text: 'Back to conversations' }),
        h('h3', { text: contact.profile_name ? `${contact.profile_name} (${contact.wa_id})` : contact.wa_id }),
        handoverControl(contact, waId, changed, showError));
    shown = state;
    if (contact.window_open !== replyWindow) reply.replaceChildren(replyBox(path, contact, changed, showError));
    replyWindow = contact.window_open;
  }

  async function changed() {
    try { await Promise.all([loadContact(), readPage(null)]); onChanged(); } catch (error) { showError(error.describe()); }
  }

  older.addEventListener('click', async () => {
    try { const page = await readPage(before); before = page.next_before; older.hidden = !before; }
    catch (error) { showError(error.describe()); }
  });

  pane.append(head, older, list, reply);
  try {
    await loadContact();
    before = (await readPage(null)).next_before;
    older.hidden = !before;
  } catch (error) {
    showError(error.status === 404 ? `No contact ${waId}.` : error.describe());
  }
  // New messages and moving ticks show up without a reload: the newest page is read again every 5 s.
  const poll = setInterval(() => Promise.all([loadContact(false), readPage(null)]).catch(error => showError(error.describe())), 5000);
  return () => clearInterval(poll);
}
