import { admin, get } from './api.js';
import { h, field, table, time, confirmButton } from './dom.js';

// PUT replaces a schedule: the same fields back, with enabled changed.
function replacement(s, enabled) {
  return {
    wa_id: s.wa_id, agent_id: s.agent_id ?? undefined, message_text: s.message_text, template_name: s.template_name ?? undefined,
    template_language: s.template_language ?? undefined, cron: s.cron ?? undefined, interval_minutes: s.interval_minutes ?? undefined,
    run_at: s.one_off ? s.next_run_at ?? s.last_run_at : undefined, time_zone: s.time_zone, enabled,
  };
}

export async function schedules(body, showError) {
  const filter = h('input', { type: 'search', autocomplete: 'off' });
  const results = h('div');
  const more = h('button', { type: 'button', class: 'secondary', text: 'More', hidden: true });
  let offset = 0;
  let rows = [];

  async function load(reset = true) {
    try {
      if (reset) { offset = 0; rows = []; }
      const wa = filter.value.trim();
      const page = await get(`/schedules?limit=50&offset=${offset}${wa ? `&wa_id=${encodeURIComponent(wa)}` : ''}`);
      rows.push(...page.items);
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
      results.replaceChildren(table('Schedules', ['Id', 'Contact', 'Message', 'When', 'Next occurrences', 'Enabled', ''], rows.map(s => h('tr', {},
        h('td', { text: String(s.id) }), h('td', { text: s.wa_id }), h('td', { text: s.message_text }),
        h('td', { text: s.cron ? `cron ${s.cron} (${s.time_zone})` : s.interval_minutes ? `every ${s.interval_minutes} min` : 'once' }),
        h('td', {}, s.next_occurrences.length ? h('ul', { class: 'plain' }, s.next_occurrences.map(o => h('li', {}, time(o)))) : '—'),
        h('td', { text: s.enabled ? 'yes' : 'no' }),
        h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', text: s.enabled ? `Disable schedule ${s.id}` : `Enable schedule ${s.id}`,
            onclick: async () => { try { await admin('PUT', `/schedules/${s.id}`, replacement(s, !s.enabled)); load(); } catch (e) { showError(e.describe()); } } }),
          confirmButton(`Delete schedule ${s.id}`, 'Delete this schedule?', async () => { await admin('DELETE', `/schedules/${s.id}`); load(); }))))));
    } catch (error) { showError(error.describe()); }
  }

  const form = h('form', { class: 'card row', role: 'search', 'aria-label': 'Filter schedules' },
    field('Contact (WhatsApp id)', filter), h('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', event => { event.preventDefault(); load(); });
  more.addEventListener('click', () => load(false));
  body.append(form, results, more);
  await load();
}
