import { admin, get } from './api.js';
import { h, table, time, confirmButton } from './dom.js';

export async function deadJobs(body, showError) {
  const results = h('div');
  const status = h('p', { role: 'status', class: 'hint' });
  const more = h('button', { type: 'button', class: 'secondary', text: 'Older', hidden: true });
  let before = null;
  let rows = [];

  const selected = () => [...results.querySelectorAll('input[type=checkbox]:checked')].map(box => Number(box.value));

  async function each(ids, verb, act) {
    const failed = [];
    for (const id of ids) { try { await act(id); } catch (error) { failed.push(`${id}: ${error.describe()}`); } }
    status.textContent = `${verb} ${ids.length - failed.length} of ${ids.length}.`;
    showError(failed.join('; '));
    await load();
  }
  const replay = ids => each(ids, 'Replayed', id => admin('POST', `/dead-jobs/${id}/replay`));
  const remove = ids => each(ids, 'Deleted', id => admin('DELETE', `/dead-jobs/${id}`));

  async function load(reset = true) {
    try {
      if (reset) { before = null; rows = []; }
      const page = await get(`/dead-jobs?limit=50${before ? `&before=${before}` : ''}`);
      rows.push(...page.items);
      before = page.next_before;
      more.hidden = page.next_before === null;
      results.replaceChildren(table('Dead jobs, newest first', ['', 'Id', 'Type', 'Key', 'Attempts', 'Last error', 'Failed', 'Replayed', ''], rows.map(job => h('tr', {},
        h('td', {}, h('input', { type: 'checkbox', value: String(job.id), 'aria-label': `Select dead job ${job.id}`, disabled: Boolean(job.replayed_at) })),
        h('td', { text: String(job.id) }), h('td', { text: job.job_type }), h('td', { text: job.key }), h('td', { text: String(job.attempts) }),
        h('td', { text: job.last_error ?? '' }), h('td', {}, time(job.failed_at)), h('td', {}, time(job.replayed_at)),
        h('td', { class: 'actions' },
          job.replayed_at ? '' : h('button', { type: 'button', text: `Replay dead job ${job.id}`, onclick: () => replay([job.id]) }),
          confirmButton(`Delete dead job ${job.id}`, 'Delete this dead job?', () => remove([job.id])))))));
    } catch (error) { showError(error.describe()); }
  }

  const bulk = h('div', { class: 'row', role: 'group', 'aria-label': 'Selected dead jobs' },
    h('button', { type: 'button', text: 'Replay selected', onclick: () => replay(selected()) }),
    confirmButton('Delete selected', 'Delete every selected dead job?', () => remove(selected())));
  more.addEventListener('click', () => load(false));
  body.append(bulk, status, results, more);
  await load();
}
