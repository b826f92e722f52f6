import { get } from './api.js';
import { h, field, table, time } from './dom.js';

const Statuses = ['', 'pending', 'sending', 'retrying', 'sent', 'delivered', 'read', 'failed', 'skipped', 'suppressed', 'unknown'];

export async function outbound(body, showError) {
  const contact = h('input', { type: 'search', autocomplete: 'off', inputmode: 'tel' });
  const wamid = h('input', { type: 'search', autocomplete: 'off' });
  const status = h('select', {}, Statuses.map(s => h('option', { value: s, text: s || 'any' })));
  const results = h('div');
  const more = h('button', { type: 'button', class: 'secondary', text: 'More', hidden: true });
  let offset = 0;
  let rows = [];

  async function load(reset = true) {
    try {
      if (reset) { offset = 0; rows = []; }
      const query = new URLSearchParams({ limit: '50', offset: String(offset) });
      if (contact.value.trim()) query.set('wa_id', contact.value.trim());
      if (wamid.value.trim()) query.set('wamid', wamid.value.trim());
      if (status.value) query.set('status', status.value);
      const page = await get(`/outbound/messages?${query}`);
      rows.push(...page.items);
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
      results.replaceChildren(table('Outbound ledger, newest first', ['Created', 'Contact', 'Kind', 'Text', 'Status', 'Attempts', 'wamid', 'Error'], rows.map(m => h('tr', {},
        h('td', {}, time(m.created_at)), h('td', { text: m.wa_id }), h('td', { text: m.template_name ? `template ${m.template_name}` : m.kind }),
        h('td', { text: m.body ?? '' }), h('td', { text: m.status }), h('td', { text: String(m.attempts) }),
        h('td', { class: 'mono', text: m.provider_message_id ?? '' }),
        h('td', { text: m.error_code ? `${m.error_code} ${m.error_text ?? ''}` : '' })))));
    } catch (error) { showError(error.describe()); }
  }

  const form = h('form', { class: 'card row', role: 'search', 'aria-label': 'Search the ledger' },
    field('Contact (WhatsApp id)', contact), field('Message id (wamid)', wamid), field('Status', status), h('button', { type: 'submit', text: 'Search' }));
  form.addEventListener('submit', event => { event.preventDefault(); load(); });
  more.addEventListener('click', () => load(false));
  body.append(form, results, more);
  await load();
}
