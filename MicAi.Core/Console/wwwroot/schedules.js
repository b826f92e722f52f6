import { admin, get } from './api.js';
import { h, field, table, time, confirmButton, pagedList } from './dom.js';

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
  const status = h('p', { role: 'status', class: 'hint' });
  const act = (load, work) => async () => { try { await work(); await load(); } catch (e) { showError(e.describe()); } };
  const list = pagedList(offset => {
    const wa = filter.value.trim();
    return get(`/schedules?limit=50&offset=${offset}${wa ? `&wa_id=${encodeURIComponent(wa)}` : ''}`);
  }, (rows, load) => table('Schedules', ['Id', 'Contact', 'Message', 'When', 'Next occurrences', 'Enabled', ''], rows.map(s => h('tr', {},
    h('td', { text: String(s.id) }), h('td', { text: s.wa_id }), h('td', { text: s.message_text }),
    h('td', { text: s.cron ? `cron ${s.cron} (${s.time_zone})` : s.interval_minutes ? `every ${s.interval_minutes} min` : 'once' }),
    h('td', {}, s.next_occurrences.length ? h('ul', { class: 'plain' }, s.next_occurrences.map(o => h('li', {}, time(o)))) : '—'),
    h('td', { text: s.enabled ? 'yes' : 'no' }),
    h('td', { class: 'actions' },
      h('button', { type: 'button', text: `Run schedule ${s.id} now`,
        onclick: act(load, async () => { await admin('POST', `/schedules/${s.id}/run`); status.textContent = `Schedule ${s.id} is sending now.`; }) }),
      h('button', { type: 'button', class: 'secondary', text: s.enabled ? `Disable schedule ${s.id}` : `Enable schedule ${s.id}`,
        onclick: act(load, () => admin('PUT', `/schedules/${s.id}`, replacement(s, !s.enabled))) }),
      confirmButton(`Delete schedule ${s.id}`, 'Delete this schedule?', act(load, () => admin('DELETE', `/schedules/${s.id}`))))))), showError);

  const form = h('form', { class: 'card row', role: 'search', 'aria-label': 'Filter schedules' },
    field('Contact (WhatsApp id)', filter), h('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', event => { event.preventDefault(); list.load(); });
  body.append(form, status, list.results, list.more);
  await list.load();
}
