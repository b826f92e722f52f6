import { get } from './api.js';
import { h, field, time, pagedList } from './dom.js';
import { thread } from './thread.js';

const Filters = { all: '', awaiting: '&awaiting_reply=true', handover: '&handover=true' };

// The contact's name for people: their profile name, else their WhatsApp id.
const who = contact => contact.profile_name || contact.wa_id;

function markers(contact) {
  return [
    contact.awaiting_reply ? h('span', { class: 'badge attention', text: 'needs a reply' }) : null,
    contact.handover?.active ? h('span', { class: 'badge handover', text: 'handover' }) : null,
  ];
}

function contactItem(contact, current) {
  const last = contact.last_message;
  return h('li', {},
    h('a', { href: `#conversations/${encodeURIComponent(contact.wa_id)}`, class: 'contact', 'aria-current': contact.wa_id === current ? 'page' : null },
      h('span', { class: 'contact-name', text: who(contact) }), ' ', markers(contact),
      h('span', { class: 'hint contact-last' },
        last ? `${last.direction === 'inbound' ? '' : `${last.author ?? 'MicAi'}: `}${last.text ?? ''}` : 'no messages yet'),
      last ? h('span', { class: 'hint' }, time(last.at)) : null));
}

/** Contacts, most recent message first, with filters; the selected contact's thread beside them (below on a phone). */
export async function conversations(body, showError, waId) {
  const filter = h('select', {},
    h('option', { value: 'all', text: 'everyone' }), h('option', { value: 'awaiting', text: 'needs a reply' }),
    h('option', { value: 'handover', text: 'handed over to a person' }));
  const list = pagedList(offset => get(`/contacts?order=recent&limit=50&offset=${offset}${Filters[filter.value]}`),
    rows => rows.length
      ? h('ul', { class: 'plain contacts', 'aria-label': 'Contacts, most recent first' }, rows.map(c => contactItem(c, waId)))
      : h('p', { class: 'hint', text: 'No conversations here.' }),
    showError);
  filter.addEventListener('change', () => list.load());

  const side = h('div', { class: 'stack contact-list' }, field('Show', filter), list.results, list.more);
  const pane = h('div', { class: 'stack' });
  body.append(h('div', { class: waId ? 'split has-thread' : 'split' }, side, pane));

  const refresh = setInterval(() => list.load(), 10000); // markers and last messages move while the page is open
  const leaveThread = waId ? await thread(pane, waId, showError, () => list.load()) : null;
  if (!waId) pane.append(h('p', { class: 'hint', text: 'Pick a contact to see the conversation.' }));
  await list.load();
  return () => { clearInterval(refresh); leaveThread?.(); };
}
