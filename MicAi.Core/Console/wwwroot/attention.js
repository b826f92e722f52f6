import { admin, get } from './api.js';
import { h, table, time, confirmButton } from './dom.js';

const thread = waId => h('a', { href: `#conversations/${encodeURIComponent(waId)}`, text: waId });

function sendRow(m, actions) {
  return h('tr', {},
    h('td', {}, time(m.created_at)), h('td', {}, thread(m.wa_id)), h('td', { class: 'mono', text: m.idempotency_key }),
    h('td', { text: m.template_name ? `template ${m.template_name}` : m.body ?? '' }),
    h('td', { text: m.error_code ? `${m.error_code} ${m.error_text ?? ''}` : '' }), actions ? h('td', { class: 'actions' }, actions) : null);
}

/**
 * What needs a person (GET /attention): unknown sends with their resolution (mark failed, or resend as a new row),
 * failed sends, dead jobs, customers who asked for a person, and messages nobody answered.
 */
export async function attention(body, showError) {
  const status = h('p', { role: 'status', class: 'hint' });
  const results = h('div');

  const resolve = (key, action, done) => async () => {
    try {
      await admin('POST', `/outbound/messages/${encodeURIComponent(key)}/resolve`, { action });
      status.textContent = `${done} ${key}.`;
      await load();
    } catch (error) { showError(error.describe()); }
  };

  async function load() {
    try {
      const a = await get('/attention?limit=50');
      results.replaceChildren(
        h('p', { 'data-attention': 'total', text: a.total === 0 ? 'Nothing needs a person.' : a.total === 1 ? '1 thing needs a person.' : `${a.total} things need a person.` }),
        table('Sends with an unknown outcome (never re-sent by themselves)', ['Created', 'Contact', 'Key', 'Message', 'Error', ''],
          a.unknown_sends.map(m => sendRow(m, [
            confirmButton(`Mark ${m.idempotency_key} failed`, 'Record that it was not delivered?', resolve(m.idempotency_key, 'mark_failed', 'Marked failed')),
            confirmButton(`Resend ${m.idempotency_key}`, 'Send it again? The customer may get it twice.', resolve(m.idempotency_key, 'resend', 'Resent')),
          ]))),
        table('Failed sends, last 24 hours', ['Created', 'Contact', 'Key', 'Message', 'Error'], a.failed_sends.map(m => sendRow(m))),
        table('Customers who asked for a person', ['Contact', 'Since', 'Until'], a.handovers_waiting.map(w => h('tr', { 'data-waiting': w.wa_id },
          h('td', {}, thread(w.wa_id)), h('td', {}, time(w.started_at)), h('td', {}, w.until ? time(w.until) : 'until released')))),
        table('Unanswered messages, last 24 hours', ['Received', 'Contact', 'Message', 'Status'], a.unanswered.map(u => h('tr', {},
          h('td', {}, time(u.received_at)), h('td', {}, thread(u.wa_id)), h('td', { text: u.text ?? `[${u.type}]` }),
          h('td', { text: u.reason ? `${u.status}: ${u.reason}` : u.status })))),
        table('Dead jobs not replayed', ['Id', 'Type', 'Last error', 'Failed'], a.dead_jobs.map(j => h('tr', {},
          h('td', { text: String(j.id) }), h('td', { text: j.job_type }), h('td', { text: j.last_error ?? '' }), h('td', {}, time(j.failed_at))))),
        h('p', {}, h('a', { href: '#dead-jobs', text: 'Replay or delete dead jobs' })));
    } catch (error) { showError(error.describe()); }
  }

  // Refreshed on demand, not on a timer: a timer would close a confirmation the operator is about to press.
  body.append(h('button', { type: 'button', class: 'secondary', text: 'Refresh', onclick: () => load() }), status, results);
  await load();
}
