import { get, admin } from './api.js';
import { h, table, age, time, confirmButton } from './dom.js';

const RefreshMs = 5000;
// A worker beats every few seconds; one silent for this long is taken for gone.
const AliveSeconds = 60;

function figure(label, value, name) {
  return h('div', { class: 'figure' }, h('dt', { text: label }), h('dd', { 'data-figure': name, text: String(value) }));
}

function counts(map) {
  const entries = Object.entries(map || {});
  return entries.length ? entries.map(([status, n]) => `${status} ${n}`).join(' · ') : 'none';
}

function render(stats, refresh) {
  const processes = stats.pipeline?.processes ?? [];
  const alive = processes.filter(p => p.role === 'worker' && p.age_seconds <= AliveSeconds && p.state !== 'stopped');
  const warnings = [];
  if (alive.length === 0)
    warnings.push(h('p', { class: 'warning', role: 'alert', text: 'No worker is alive: nothing is being answered or sent. Start a worker (role worker or all).' }));
  if (!stats.outbound_effective)
    warnings.push(h('p', { class: 'warning', text: 'Outbound sending is off: replies are recorded but not sent.' }));

  const toggle = stats.outbound_paused
    ? confirmButton('Resume outbound', 'Resume all outbound sends?', () => refresh(admin('POST', '/outbound/resume')))
    : confirmButton('Pause outbound', 'Pause all outbound sends now?', () => refresh(admin('POST', '/outbound/pause')));
  const reason = stats.outbound_paused ? `paused${stats.outbound_pause_reason ? ` (${stats.outbound_pause_reason})` : ''}`
    : stats.outbound_env_enabled ? 'on' : 'off by MICAI_OUTBOUND_REPLY_ENABLED';

  return [
    ...warnings,
    h('section', { class: 'card', 'aria-labelledby': 'queue-title' },
      h('h3', { id: 'queue-title', text: 'Queue' }),
      h('dl', { class: 'figures' },
        figure('Queue length', stats.queue.length, 'queue-length'),
        figure('Pending (being worked on)', stats.queue.pending, 'queue-pending'),
        figure('Delayed (retries)', stats.queue.delayed, 'queue-delayed'),
        figure('Oldest job', age(stats.queue.oldest_age_seconds), 'queue-oldest'),
        figure('Dead jobs', stats.dead_jobs, 'dead-jobs'))),
    h('section', { class: 'card', 'aria-labelledby': 'sends-title' },
      h('h3', { id: 'sends-title', text: 'Messages' }),
      h('dl', { class: 'figures' },
        figure('Sends in the last hour', counts(stats.outbound_last_hour), 'sends-last-hour'),
        figure('Inbound by status', counts(stats.inbound), 'inbound'),
        figure('Outbound by status', counts(stats.outbound), 'outbound'))),
    h('section', { class: 'card', 'aria-labelledby': 'switch-title' },
      h('h3', { id: 'switch-title', text: 'Outbound switch' }),
      h('p', {}, 'Outbound is ', h('strong', { 'data-figure': 'outbound-state', text: reason }), '.'),
      toggle),
    h('section', { class: 'card', 'aria-labelledby': 'processes-title' },
      h('h3', { id: 'processes-title', text: 'Workers and scheduler' }),
      h('p', {}, `Scheduler leader: ${stats.pipeline?.scheduler_leader ?? 'none'}; last tick ${age(stats.pipeline?.last_tick_age_seconds)} ago.`),
      table('Heartbeats', ['Role', 'Process', 'Last heartbeat', 'Age', 'State'], processes.map(p => h('tr', {},
        h('td', { text: p.role }), h('td', { text: p.name }), h('td', {}, time(p.last_seen)), h('td', { text: age(p.age_seconds) }),
        h('td', { text: p.state ?? (p.age_seconds <= AliveSeconds ? 'alive' : 'silent') }))))),
  ];
}

export async function dashboard(body, showError) {
  const live = h('p', { class: 'hint', role: 'status' });
  const content = h('div', { class: 'dashboard' });
  body.append(live, content);
  let timer = null;
  let stopped = false;

  async function refresh(action) {
    try {
      if (action) await action;
      const stats = await get('/stats');
      if (stopped) return;
      // Keep the keyboard where it was when the figures are redrawn.
      const focused = document.activeElement?.textContent;
      content.replaceChildren(...render(stats, refresh));
      if (action && focused) [...content.querySelectorAll('button')].find(b => !b.hidden && b.offsetParent)?.focus();
      live.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${RefreshMs / 1000} s.`;
      showError('');
    } catch (error) {
      if (!stopped) showError(error.describe());
    }
  }

  await refresh();
  timer = setInterval(() => { if (!content.querySelector('.ask:not([hidden])')) refresh(); }, RefreshMs);
  return () => { stopped = true; clearInterval(timer); };
}
