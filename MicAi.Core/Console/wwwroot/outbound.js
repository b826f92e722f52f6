import { get } from './api.js';
import { h, field, table, time, pagedList } from './dom.js';

const Statuses = ['', 'pending', 'sending', 'retrying', 'sent', 'delivered', 'read', 'failed', 'skipped', 'suppressed', 'unknown'];

export async function outbound(body, showError) {
  const contact = h('input', { type: 'search', autocomplete: 'off', inputmode: 'tel' });
  const wamid = h('input', { type: 'search', autocomplete: 'off' });
  const status = h('select', {}, Statuses.map(s => h('option', { value: s, text: s || 'any' })));
  const list = pagedList(offset => {
    const query = new URLSearchParams({ limit: '50', offset: String(offset) });
    if (contact.value.trim()) query.set('wa_id', contact.value.trim());
    if (wamid.value.trim()) query.set('wamid', wamid.value.trim());
    if (status.value) query.set('status', status.value);
    return get(`/outbound/messages?${query}`);
  }, rows => table('Outbound ledger, newest first', ['Created', 'Contact', 'Kind', 'Text', 'Status', 'Attempts', 'wamid', 'Error'], rows.map(m => h('tr', {},
    h('td', {}, time(m.created_at)), h('td', { text: m.wa_id }), h('td', { text: m.template_name ? `template ${m.template_name}` : m.kind }),
    h('td', { text: m.body ?? '' }), h('td', { text: m.status }), h('td', { text: String(m.attempts) }),
    h('td', { class: 'mono', text: m.provider_message_id ?? '' }),
    h('td', { text: m.error_code ? `${m.error_code} ${m.error_text ?? ''}` : '' })))), showError);

  const form = h('form', { class: 'card row', role: 'search', 'aria-label': 'Search the ledger' },
    field('Contact (WhatsApp id)', contact), field('Message id (wamid)', wamid), field('Status', status), h('button', { type: 'submit', text: 'Search' }));
  form.addEventListener('submit', event => { event.preventDefault(); list.load(); });
  body.append(form, list.results, list.more);
  await list.load();
}
